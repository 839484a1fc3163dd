package io.charon.jobs.store.sqlite;

import io.charon.jobs.store.RowLocks;
import org.hibernate.Session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * SQLite has no row locks and needs none: every write transaction holds the database's write lock
 * from its start ({@code transaction_mode=IMMEDIATE}), so it reads what no one else changes.
 */
public class SqliteRowLocks implements RowLocks {

    @Override
    public <T> List<T> loadJobsForChange(Session session, Class<T> jobType, Collection<String> ids) {
        // the write lock, taken as the transaction began, covers every row
        List<T> found = new ArrayList<>(session.byMultipleIds(jobType).multiLoad(List.copyOf(ids)));
        found.removeIf(Objects::isNull);
        return found;
    }

    @Override
    public void lockJobsAgainstChange(Session session, Collection<String> ids) {
        // as above
    }

    @Override
    public String forChangeOfJ() {
        return "";
    }

    @Override
    public String forChangeOfJSkippingLocked() {
        return "";
    }
}
