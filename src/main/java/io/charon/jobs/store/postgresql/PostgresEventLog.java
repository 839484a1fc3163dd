package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.EventLogSql;
import org.postgresql.PGStatement;

import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 *
 * <p>Each read of events after a position is planned afresh ({@link #prepareReadAfter}). The
 * driver turns a statement run five times into a server-side prepared one, whose plan PostgreSQL
 * may then keep for good as a generic plan; made while the tables were small and without
 * statistics, that plan joined each event to a materialised scan of every job, and as the jobs
 * table grew each read of the feed and the relay cost hundreds of milliseconds of the server's
 * CPU, most of the server's work in a drain. Planned per read, with the tables' sizes of the
 * moment, a read walks the position index and looks each job up by its key. The newest and
 * held-back reads are left to the driver: their one plan, a walk from the end of the position
 * index with a limit of one row, is the cheapest at any size, and planning each of them again
 * cost the server more than running it.
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

    @Override
    public void prepareReadAfter(PreparedStatement read) throws SQLException {
        // never a server-side prepared statement, so never a generic plan: planned with each read's values
        read.unwrap(PGStatement.class).setPrepareThreshold(0);
    }
}
