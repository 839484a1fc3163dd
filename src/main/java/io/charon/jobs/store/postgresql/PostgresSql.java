package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.StatisticsSql;

import java.util.List;

/**
 * PostgreSQL's statements. Its planner cannot be told an index, and on a table it has no
 * statistics for (autovacuum off, or a queue filled since the last ANALYZE) it takes the partial
 * claim index for a few rows: it read every queued job, joined all dependencies and sorted, tens
 * to hundreds of milliseconds per claim on a queue of 100,000. So the queue's selections run
 * with sorting, sequential and bitmap scans switched off for the rest of their transaction
 * (SET LOCAL), which leaves walking their partial index in order as the only way to their order,
 * stopping at the limit, and looking up each candidate's dependencies and hosts by key; and the
 * claim's dependency and host checks carry {@code OFFSET 0}, which PostgreSQL never turns into an
 * anti-join, so they are checked per candidate. The selections lock the rows they take and pass over rows other
 * replicas' transactions hold ({@code FOR UPDATE SKIP LOCKED}), and the cluster-wide
 * {@code max-concurrent-jobs} cap is kept by slots ({@link PostgresRunSlots}), so a claim waits
 * for no other write and may ride along any.
 */
public class PostgresSql implements QueueSql, StatisticsSql {

    private static final String LOCK_SKIPPING = " FOR UPDATE OF j SKIP LOCKED";

    @Override
    public String claimFrom() {
        return "jobs j";
    }

    @Override
    public String claimLocking() {
        return LOCK_SKIPPING;
    }

    @Override
    public String checkPerCandidate() {
        return " OFFSET 0";
    }

    @Override
    public String heldLocksKept() {
        // a lock row being deleted makes this wait, and then passes it over; one read here makes
        // its deletion wait until the jobs waiting for it are set aside, where its trigger finds them
        return " FOR KEY SHARE OF held";
    }

    @Override
    public String scheduleFrom() {
        return "jobs j";
    }

    @Override
    public String scheduleLocking() {
        return LOCK_SKIPPING;
    }

    @Override
    public String startDeadlineFrom() {
        return "jobs j";
    }

    @Override
    public List<String> pinIndexWalk() {
        // and no sequential or bitmap scan where an index serves: a job_hosts table filled since
        // its last ANALYZE was read whole for every candidate's host check (seconds per claim).
        // One statement of three: the driver sends them in one round trip, where each claim pays it
        return List.of("SET LOCAL enable_sort = off; SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off");
    }

    @Override
    public List<String> keepJoinOrder() {
        // the order written, and each table looked up from the one before rather than hashed whole
        return List.of("SET LOCAL join_collapse_limit = 1; SET LOCAL enable_hashjoin = off;"
                + " SET LOCAL enable_mergejoin = off");
    }

    @Override
    public boolean claimsAlongOtherWrites() {
        return true;
    }

    @Override
    public boolean sharedByReplicas() {
        return true;
    }

    @Override
    public String jobsFrom() {
        return "jobs j";
    }
}
