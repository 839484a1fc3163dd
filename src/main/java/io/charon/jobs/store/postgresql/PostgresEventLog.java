package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.EventLogSql;

import java.util.List;
import java.util.Optional;

/**
 * The safe horizon. Writers of all replicas commit concurrently, and PostgreSQL hands out ids in
 * the order transactions ask for them, not the order they commit: read by id, a reader could
 * pass id 11 before id 10 commits and never see 10. So each event also records the id of its
 * writing transaction ({@code xact_id}, the column's default {@code pg_current_xact_id()}), the
 * position is (xact_id, id), and a reader reads only events of transactions older than the
 * oldest one still running, {@code pg_snapshot_xmin(pg_current_snapshot())} of its own statement.
 * Those transactions have all ended and are visible to that statement; any transaction that can
 * still commit has a higher id, so whatever commits later sorts after everything read.
 */
public class PostgresEventLog implements EventLogSql {

    /** The oldest transaction still running as the statement sees it, as a bigint. */
    static final String HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint";

    @Override
    public String transactionOf() {
        return "e.xact_id";
    }

    @Override
    public String after() {
        return "(e.xact_id, e.id) > (?, ?) AND e.xact_id < " + HORIZON;
    }

    @Override
    public List<Object> afterParameters(long transaction, long id) {
        return List.of(transaction, id);
    }

    @Override
    public String order() {
        return "e.xact_id, e.id";
    }

    @Override
    public String newest() {
        return "SELECT e.xact_id, e.id FROM job_events e WHERE e.xact_id < " + HORIZON
                + " ORDER BY e.xact_id DESC, e.id DESC LIMIT 1";
    }

    @Override
    public Optional<String> heldBack() {
        // the newest event's transaction, read from the end of the position index: an EXISTS over
        // a range planned without statistics scanned the whole table whenever nothing was held back
        return Optional.of("SELECT COALESCE((SELECT e.xact_id FROM job_events e ORDER BY e.xact_id DESC, e.id DESC"
                + " LIMIT 1) >= " + HORIZON + ", false)");
    }
}
