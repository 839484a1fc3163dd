package io.charon.jobs.job;

/**
 * The job a submission stands for: new ({@code created}), or the one an earlier submission with
 * the same idempotency key created.
 */
public record Submitted(Job job, boolean created) {
}
