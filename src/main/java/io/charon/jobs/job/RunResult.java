package io.charon.jobs.job;

import java.util.Map;
import java.util.SortedMap;

/**
 * How a run ended for good, as {@link Job#finish} records it.
 *
 * @param outcome        the job's final status
 * @param attemptOutcome what the attempt record says: the status, or {@link JobAttempt#ORPHANED}
 * @param error          the error message, null when the run completed
 * @param outputTail     the end of the run's output, null when unknown
 * @param hostStats      per-host counts, null when unknown
 * @param artifacts      what the run published with {@code set_stats}; empty when nothing
 */
public record RunResult(JobStatus outcome, String attemptOutcome, Integer exitCode, String error, String outputTail,
                        SortedMap<String, HostStats> hostStats, Map<String, Object> artifacts) {

    public RunResult {
        artifacts = artifacts == null ? Map.of() : artifacts;
    }

    /** A run that ended as {@code outcome}; its attempt record says the same. */
    public static RunResult of(JobStatus outcome, Integer exitCode, String error, String outputTail,
                               SortedMap<String, HostStats> hostStats) {
        return of(outcome, exitCode, error, outputTail, hostStats, Map.of());
    }

    /** As {@link #of(JobStatus, Integer, String, String, SortedMap)}, with the artifacts the run published. */
    public static RunResult of(JobStatus outcome, Integer exitCode, String error, String outputTail,
                               SortedMap<String, HostStats> hostStats, Map<String, Object> artifacts) {
        return new RunResult(outcome, outcome.wireName(), exitCode, error, outputTail, hostStats, artifacts);
    }

    /** A run cancelled while it ran, with the output it had written so far. */
    public static RunResult cancelled(String reason, String outputTail) {
        return of(JobStatus.CANCELLED, null, reason, outputTail, null);
    }

    /** A run whose owner is gone, failed without a result of its own. */
    public static RunResult orphaned(String error) {
        return new RunResult(JobStatus.FAILED, JobAttempt.ORPHANED, null, error, null, null, Map.of());
    }
}
