package io.charon.jobs.job;

import java.time.Instant;
import java.util.Set;

/** What a job listing is restricted to; null or empty means "any". */
public record JobFilter(Set<JobStatus> statuses, JobType type, Priority priority, String tag, String userId,
                        Instant createdAfter, Instant createdBefore) {

    public static JobFilter any() {
        return new JobFilter(Set.of(), null, null, null, null, null, null);
    }
}
