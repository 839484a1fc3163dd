package io.charon.jobs.store.sqlite;

import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.StatisticsSql;

import java.util.List;

/**
 * SQLite's statements. Its planner, without statistics, is told the index each selection reads:
 * otherwise a claim would read every queued job through the status index and sort them all, so
 * each claim cost grew with the queue, finding the next scheduled job would read every
 * scheduled job's row, and statistics would walk a listing index
 * (docs/decisions/0006-sqlite-query-plans-pinned.md). Every write transaction holds the
 * database's write lock from its first statement ({@code IMMEDIATE}), so selecting the claimable
 * jobs and updating them in the same transaction cannot race with another claimer, and a claim
 * may ride along any other write; there is one process, whose worker pool caps its runs.
 */
public class SqliteSql implements QueueSql, StatisticsSql {

    @Override
    public String claimFrom() {
        return "jobs j INDEXED BY ix_jobs_claim";
    }

    @Override
    public String claimLocking() {
        return "";
    }

    @Override
    public String checkPerCandidate() {
        return ""; // SQLite checks a correlated NOT EXISTS per row as it is
    }

    @Override
    public String heldLocksKept() {
        return ""; // the write transaction holds the database's write lock
    }

    @Override
    public String scheduleFrom() {
        return "jobs j INDEXED BY ix_jobs_scheduled";
    }

    @Override
    public String scheduleLocking() {
        return ""; // the write transaction holds the database's write lock
    }

    @Override
    public String startDeadlineFrom() {
        return "jobs j INDEXED BY ix_jobs_start_deadline";
    }

    @Override
    public List<String> pinIndexWalk() {
        return List.of(); // the selections name their index
    }

    @Override
    public List<String> keepJoinOrder() {
        return List.of(); // SQLite walks cross joins in the order written
    }

    @Override
    public boolean claimsAlongOtherWrites() {
        return true;
    }

    @Override
    public boolean sharedByReplicas() {
        return false;
    }

    @Override
    public String jobsFrom() {
        return "jobs j INDEXED BY ix_jobs_stats";
    }
}
