package io.charon.jobs.store;

/** What the statistics statement differs in between the stores. */
public interface StatisticsSql {

    /**
     * The table expression, aliased {@code j}, that jobs are counted from by type, status and
     * creation time, without a tag (with the covering index named where a planner must be told).
     */
    String jobsFrom();
}
