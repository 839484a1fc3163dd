package io.charon.jobs.observability;

import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.JobType;

import java.util.Map;

/** Statistics of the jobs a filter selects: over all of them, and per job type. */
public record Statistics(Breakdown all, Map<JobType, Breakdown> byType) {

    /**
     * Figures of a set of jobs. {@code byStatus} has every status, 0 when none is in it;
     * {@code retries} adds up the jobs' retry counts.
     */
    public record Breakdown(long total, Map<JobStatus, Long> byStatus, long retries, Durations durations) {

        /** Jobs in a final status. */
        public long finished() {
            return byStatus.entrySet().stream().filter(e -> e.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
        }

        /** Completed out of finished, from 0 to 1; null when none has finished. */
        public Double successRate() {
            long finished = finished();
            return finished == 0 ? null : (double) byStatus.get(JobStatus.COMPLETED) / finished;
        }
    }

    /**
     * Run durations of finished jobs that ran (a job cancelled or failed before it started has
     * none), in milliseconds: the mean and nearest-rank percentiles; null when there are none.
     */
    public record Durations(long count, Double meanMs, Long p50Ms, Long p95Ms) {
    }
}
