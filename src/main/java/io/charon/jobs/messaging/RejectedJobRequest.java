package io.charon.jobs.messaging;

import io.charon.jobs.job.FieldError;

import java.util.List;

/**
 * A job request from the {@code job-requests} channel that was refused: its body as received,
 * why, and the offending fields. Goes to the dead-letter channel as metadata of the message.
 */
public record RejectedJobRequest(byte[] body, String reason, List<FieldError> errors, String idempotencyKey) {
}
