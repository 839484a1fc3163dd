package io.charon.jobs.observability;

import io.charon.jobs.job.JobType;

import java.time.Instant;

/**
 * Which jobs statistics cover; null means any. {@code createdAfter} is inclusive,
 * {@code createdBefore} exclusive, as in the job listing.
 */
public record StatsFilter(Instant createdAfter, Instant createdBefore, JobType type, String tag, String userId) {
}
