package io.charon.jobs.queue;

import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobMode;
import io.charon.jobs.job.JobSpec;
import io.charon.jobs.job.SealedSecrets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a worker needs to run a claimed job, copied out of the claim transaction so that no
 * entity or transaction is held while the playbook runs. {@code token} fences every write the
 * run makes afterwards. {@code inventoryRef}, {@code inventoryVersion} and {@code credentials}
 * name what the run loads from the store before it starts; {@code inventory} is then the hosts
 * selected from that version. {@code retryHosts} limits a failed-hosts retry to the hosts that
 * failed or were unreachable before; empty for all hosts.
 */
public record ClaimedJob(String id, long token, String name, String playbook, List<String> inventory,
                         Map<String, String> variables, SealedSecrets secretVariables, Duration timeout,
                         Duration idleTimeout, Path logFile, String inventoryRef, Integer inventoryVersion,
                         List<String> credentials, List<String> retryHosts, JobMode mode) {

    static ClaimedJob of(Job job) {
        JobSpec spec = job.spec();
        return new ClaimedJob(job.getId(), job.getLeaseToken(), job.getName(), job.getPlaybook(), job.getInventory(),
                job.getVariables(), job.getSecretVariables(), job.getTimeout(), spec.idleTimeout(),
                Path.of(job.getLogPath()), spec.inventoryRef(), spec.inventoryVersion(), spec.credentials(),
                job.getRetryHosts(), spec.mode());
    }
}
