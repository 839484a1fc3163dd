package io.charon.jobs.job;

import java.time.Instant;
import java.util.SortedMap;

/**
 * A run that ended but whose job must run again, as {@link Job#requeue} records it: a retry after
 * backoff, a rescued orphan, or a run handed back at shutdown. Only the first two use up a retry.
 *
 * @param attemptOutcome what the attempt record says
 * @param notBefore      the earliest next start, or null for "as soon as a worker is free"
 * @param hostStats      the run's per-host results, null when unknown
 * @param afterFailure   a failed or timed-out run retried: its per-host results are recorded and
 *                       decide which hosts the next run covers; a rescued orphan or a handed-back
 *                       run runs again on the hosts it had
 */
public record Requeue(String attemptOutcome, boolean countsAsRetry, Instant notBefore, String reason,
                      Integer exitCode, String outputTail, SortedMap<String, HostStats> hostStats,
                      boolean afterFailure) {

    /** A run that ended {@code ending} (failed or timeout), retried from {@code notBefore}. */
    public static Requeue retry(JobStatus ending, Instant notBefore, String reason, Integer exitCode, String outputTail,
                                SortedMap<String, HostStats> hostStats) {
        return new Requeue(ending.wireName(), true, notBefore, reason, exitCode, outputTail, hostStats, true);
    }

    /** A run whose owner is gone, run again from {@code notBefore} as a retry. */
    public static Requeue orphan(Instant notBefore, String reason) {
        return new Requeue(JobAttempt.ORPHANED, true, notBefore, reason, null, null, null, false);
    }

    /** A run handed back unfinished (the service stopped): it runs again at once, not as a retry. */
    public static Requeue handBack(String reason, Integer exitCode, String outputTail) {
        return new Requeue(JobAttempt.INTERRUPTED, false, null, reason, exitCode, outputTail, null, false);
    }
}
