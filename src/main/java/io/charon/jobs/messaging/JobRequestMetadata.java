package io.charon.jobs.messaging;

/** Metadata of a job request sent in-process: its idempotency key, or null. */
public record JobRequestMetadata(String idempotencyKey) {
}
