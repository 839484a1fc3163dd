package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.StatisticsSql;

/**
 * PostgreSQL's statements: its planner has statistics and needs no index named. A claim's
 * selection locks the rows it takes and passes over rows another replica's claim holds
 * ({@code FOR UPDATE SKIP LOCKED}); the cluster-wide {@code max-concurrent-jobs} cap is counted
 * inside the claim's transaction, which holds the store's writer lock (see the writer lock),
 * so claims never ride along other writes.
 */
public class PostgresSql implements QueueSql, StatisticsSql {

    @Override
    public String claimFrom() {
        return "jobs j";
    }

    @Override
    public String claimLocking() {
        return " FOR UPDATE OF j SKIP LOCKED";
    }

    @Override
    public String scheduleFrom() {
        return "jobs j";
    }

    @Override
    public boolean claimsAlongOtherWrites() {
        return false;
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
