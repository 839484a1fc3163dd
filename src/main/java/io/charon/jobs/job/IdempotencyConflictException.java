package io.charon.jobs.job;

/** An idempotency key was used again with a different request. */
public class IdempotencyConflictException extends RuntimeException {

    public IdempotencyConflictException(String key) {
        super("the idempotency key " + key + " was already used for a different request");
    }
}
