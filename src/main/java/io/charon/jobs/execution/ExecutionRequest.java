package io.charon.jobs.execution;

import io.charon.jobs.job.JobMode;
import io.charon.jobs.job.SealedSecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One run of a job's playbook.
 *
 * @param runId   unique per run (job id and claim token): names the work directory
 * @param owner   the instance running it, for {@link PlaybookRunner#stopAbandonedRuns}
 * @param idleTimeout how long the run may print nothing (and report no event) before it is stopped as
 *                timed out; null for no such limit
 * @param logFile where the whole output goes; {@code GET /jobs/{id}/log} reads it
 * @param secretVariables sealed, opened by the runner just before it needs them; null for none
 * @param access  for a job that names a stored inventory: its hosts, host keys and credentials;
 *                null for a job with a plain host list ({@code inventory})
 * @param onlyHosts the hosts this run is limited to ({@code --limit}): a retry of the hosts that
 *                failed or were unreachable; empty for all of the job's hosts
 * @param mode    {@link JobMode#CHECK} runs the playbook with {@code --check --diff}
 */
public record ExecutionRequest(String jobId, String runId, String owner, String playbook, List<String> inventory,
                               Map<String, String> variables, SealedSecrets secretVariables, Duration timeout,
                               Duration idleTimeout, Path logFile, HostAccess access, List<String> onlyHosts,
                               JobMode mode) {

    public ExecutionRequest {
        onlyHosts = onlyHosts == null ? List.of() : List.copyOf(onlyHosts);
        mode = mode == null ? JobMode.RUN : mode;
    }
}
