package io.charon.jobs.execution;

import io.charon.jobs.job.HostStats;
import io.charon.jobs.job.RunDiff;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * How one playbook run ended. A value, not an exception: a failed playbook, a missing binary
 * and a timeout are all ordinary outcomes that the job records.
 *
 * @param exitCode   the process exit code, or null when no process ran or it was killed
 * @param error      what went wrong, naming the failed task and host when known; null on success
 * @param outputTail the end of the log, bounded by {@code charon.jobs.output-tail-bytes}
 * @param hostStats  the play recap per host, or null when the play did not get that far
 * @param learnedHostKeys known_hosts lines of hosts first seen in this run under the inventory's
 *                   {@code accept-new} policy, to be recorded into the inventory; empty otherwise
 * @param artifacts  what the playbook published with {@code set_stats} (secrets masked, within
 *                   {@code charon.jobs.artifacts-max-bytes}); empty when nothing was kept
 * @param diff       a check-mode run's per-host, per-task changes; null for a run that made them
 */
public record ExecutionOutcome(Kind kind, Integer exitCode, String error, String outputTail,
                               SortedMap<String, HostStats> hostStats, List<String> learnedHostKeys,
                               Map<String, Object> artifacts, RunDiff diff) {

    public ExecutionOutcome {
        learnedHostKeys = learnedHostKeys == null ? List.of() : List.copyOf(learnedHostKeys);
        artifacts = artifacts == null ? Map.of() : artifacts;
    }

    public ExecutionOutcome(Kind kind, Integer exitCode, String error, String outputTail,
                            SortedMap<String, HostStats> hostStats) {
        this(kind, exitCode, error, outputTail, hostStats, List.of(), Map.of(), null);
    }

    public enum Kind {
        /** exit code 0 */
        SUCCEEDED,
        /** non-zero exit, or the run could not start (missing binary, unreadable playbook) */
        FAILED,
        /** killed because the job's timeout passed */
        TIMED_OUT,
        /** killed because someone cancelled the job */
        CANCELLED,
        /** killed because this service is stopping; the job goes back to the queue */
        INTERRUPTED
    }

    public static ExecutionOutcome launchFailed(String error) {
        return new ExecutionOutcome(Kind.FAILED, null, error, null, null);
    }
}
