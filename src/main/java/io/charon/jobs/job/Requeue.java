package io.charon.jobs.job;

import java.time.Instant;

/**
 * A run that ended but whose job must run again, as {@link Job#requeue} records it: a retry after
 * backoff, a rescued orphan, or a run handed back at shutdown. Only the first two use up a retry.
 *
 * @param attemptOutcome what the attempt record says
 * @param notBefore      the earliest next start, or null for "as soon as a worker is free"
 */
public record Requeue(String attemptOutcome, boolean countsAsRetry, Instant notBefore, String reason,
                      Integer exitCode, String outputTail) {

    /** A failed run retried from {@code notBefore}. */
    public static Requeue retry(Instant notBefore, String reason, Integer exitCode, String outputTail) {
        return new Requeue(JobStatus.FAILED.wireName(), true, notBefore, reason, exitCode, outputTail);
    }

    /** A run whose owner is gone, run again from {@code notBefore} as a retry. */
    public static Requeue orphan(Instant notBefore, String reason) {
        return new Requeue(JobAttempt.ORPHANED, true, notBefore, reason, null, null);
    }

    /** A run handed back unfinished (the service stopped): it runs again at once, not as a retry. */
    public static Requeue handBack(String reason, Integer exitCode, String outputTail) {
        return new Requeue(JobAttempt.INTERRUPTED, false, null, reason, exitCode, outputTail);
    }
}
