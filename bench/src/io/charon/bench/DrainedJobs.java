package io.charon.bench;

import java.time.Instant;
import java.util.Map;

/**
 * The service's own account of a drain, read back from every job through the listing: how many
 * of the measured jobs (named with a prefix) completed, the first {@code startedAt} and the last
 * {@code completedAt} (the service's clock, milliseconds), and how many were run more than once
 * by its account ({@code retryCount} above 0). The drain rate is jobs / (last end − first start):
 * the span in which the service turned queued jobs into completed ones, whatever the bench's
 * polling noticed.
 */
record DrainedJobs(long completed, long firstStartMillis, long lastEndMillis, long retried) {

    static DrainedJobs read(ServiceClient client, String prefix) {
        long[] completed = {0};
        long[] firstStart = {Long.MAX_VALUE};
        long[] lastEnd = {Long.MIN_VALUE};
        long[] retried = {0};
        client.forEachJob("status=completed", job -> {
            if (!((String) job.get("name")).startsWith(prefix)) {
                return;
            }
            completed[0]++;
            firstStart[0] = Math.min(firstStart[0], Instant.parse((String) job.get("startedAt")).toEpochMilli());
            lastEnd[0] = Math.max(lastEnd[0], Instant.parse((String) job.get("completedAt")).toEpochMilli());
            if (ServiceClient.number(job, "retryCount") != 0) {
                retried[0]++;
            }
        });
        return new DrainedJobs(completed[0], firstStart[0], lastEnd[0], retried[0]);
    }

    /** Fails the run unless all {@code jobs} completed. */
    DrainedJobs requireAllCompleted(ServiceClient client, long jobs) {
        if (completed != jobs) {
            Map<String, Object> others = client.get("/api/v1/jobs?status=failed&status=cancelled&status=timeout"
                    + "&status=queued&status=running&limit=1").json();
            throw new ScenarioFailure(jobs + " jobs were drained but " + completed + " completed; another: " + others);
        }
        return this;
    }

    /** From the first start to the last end; millisecond timestamps: a tiny smoke drain can fit in one millisecond. */
    double seconds() {
        return Math.max(1, lastEndMillis - firstStartMillis) / 1000.0;
    }
}
