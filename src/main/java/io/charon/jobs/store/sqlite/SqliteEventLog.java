package io.charon.jobs.store.sqlite;

import io.charon.jobs.store.EventLogSql;

import java.util.List;
import java.util.Optional;

/**
 * SQLite has one writer at a time, which takes event ids in commit order: the id alone is the
 * position, every transaction's ordinal is 0, and whatever is stored may be read.
 */
public class SqliteEventLog implements EventLogSql {

    @Override
    public String transactionOf() {
        return "0";
    }

    @Override
    public String after() {
        return "e.id > ?";
    }

    @Override
    public List<Object> afterParameters(long transaction, long id) {
        return List.of(id);
    }

    @Override
    public String order() {
        return "e.id";
    }

    @Override
    public String newest() {
        return "SELECT 0, e.id FROM job_events e ORDER BY e.id DESC LIMIT 1";
    }

    @Override
    public Optional<String> heldBack() {
        return Optional.empty();
    }
}
