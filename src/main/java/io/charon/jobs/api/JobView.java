package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.job.HostStats;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobAttempt;
import io.charon.jobs.job.RetryOn;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A job as the API shows it. {@code output} (the log tail) and {@code attempts} (its closed
 * runs) are shown for one job, and left out of listings. Of its secret variables only the names
 * are shown. A job on a stored inventory shows its name, the version it recorded and its limit,
 * and in {@code inventory} the hosts that the limit selected. A queued job waiting for hosts
 * shows in {@code blockedBy} the hosts and the running jobs that hold them (another user's job
 * unnamed, for those who see only their own). A job launched from a template names it and the
 * version it was launched from. {@code mode} says whether it made its changes ({@code run}) or
 * only reported them ({@code check}); {@code artifacts} is what its last finished run published
 * with {@code set_stats} ({@code {}} when nothing).
 */
public record JobView(
        String id,
        String name,
        String type,
        String priority,
        String status,
        String playbook,
        List<String> inventory,
        @JsonInclude(JsonInclude.Include.NON_NULL) String inventoryRef,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer inventoryVersion,
        @JsonInclude(JsonInclude.Include.NON_NULL) String limit,
        @JsonInclude(JsonInclude.Include.NON_NULL) String template,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer templateVersion,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> credentials,
        String queue,
        String hostLock,
        String mode,
        Map<String, String> variables,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> secretVariables,
        List<String> tags,
        String description,
        String userId,
        List<String> dependsOn,
        Instant scheduledAt,
        Instant startAfter,
        Duration timeout,
        Duration startDeadline,
        Duration idleTimeout,
        int maxRetries,
        int retryCount,
        Duration retryDelay,
        String retryScope,
        List<String> retryOn,
        Instant createdAt,
        Instant startedAt,
        Instant completedAt,
        Duration duration,
        Integer exitCode,
        String errorMessage,
        SortedMap<String, HostStats> hostStats,
        Map<String, Object> artifacts,
        String logPath,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BlockerView> blockedBy,
        @JsonInclude(JsonInclude.Include.NON_NULL) String output,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<AttemptView> attempts) {

    /** The job as listed: no output, no attempts. */
    static JobView summary(Job job) {
        return of(job, List.of(), null, null);
    }

    /** The whole job, with its log tail, every closed run and, while it waits for hosts, what holds them. */
    static JobView full(Job job, List<JobAttempt> attempts, List<BlockerView> blockedBy) {
        return of(job, blockedBy, job.getOutput() == null ? "" : job.getOutput(),
                attempts.stream().map(AttemptView::of).toList());
    }

    private static JobView of(Job job, List<BlockerView> blockedBy, String output, List<AttemptView> attempts) {
        return new JobView(job.getId(), job.getName(), job.getType().wireName(), job.getPriority().wireName(),
                job.getStatus().wireName(), job.getPlaybook(), job.getInventory(), job.spec().inventoryRef(),
                job.spec().inventoryVersion(), job.spec().limit(), job.spec().template(), job.spec().templateVersion(),
                job.spec().credentials(), job.getQueue(),
                job.getHostLock().wireName(), job.getMode().wireName(), job.getVariables(),
                job.getSecretVariables() == null ? List.of() : job.getSecretVariables().names(), job.getTags(),
                job.getDescription(), job.getUserId(), job.getDependsOn(), job.getScheduledAt(), job.getStartAfter(),
                job.getTimeout(), job.spec().startDeadline(), job.spec().idleTimeout(),
                job.getMaxRetries(), job.getRetryCount(), job.getRetryDelay(), job.spec().retryScope().wireName(),
                job.spec().retryOn().stream().map(RetryOn::wireName).toList(), job.getCreatedAt(), job.getStartedAt(),
                job.getCompletedAt(), job.getDuration(), job.getExitCode(), job.getErrorMessage(), job.getHostStats(),
                job.getArtifacts(), job.getLogPath(), blockedBy, output, attempts);
    }
}
