package io.charon.jobs.job;

import io.charon.jobs.execution.HostStats;
import io.charon.jobs.security.SealedSecrets;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.hibernate.annotations.DynamicUpdate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A stored job. Fields change only through the transition methods below, each of which checks
 * the state machine ({@link JobStatus}) and returns the event that reports the change; the
 * caller persists that event in the same transaction.
 *
 * <p>Updates name only the changed columns ({@link DynamicUpdate}): a claim or an outcome
 * changes a dozen of them, and writing the whole row serialized every JSON column and made
 * SQLite rewrite the entries of every index on the table.
 */
@Entity
@DynamicUpdate
@Table(name = "jobs")
public class Job {

    @Id
    private String id;

    @Column(nullable = false)
    private String name;

    @Convert(converter = JsonColumns.Type.class)
    @Column(nullable = false)
    private JobType type;

    @Convert(converter = JsonColumns.PriorityValue.class)
    @Column(nullable = false)
    private Priority priority;

    @Convert(converter = JsonColumns.Status.class)
    @Column(nullable = false)
    private JobStatus status;

    @Column(nullable = false)
    private String playbook;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false)
    private List<String> inventory;

    @Convert(converter = JsonColumns.StringMap.class)
    @Column(nullable = false)
    private Map<String, String> variables;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(nullable = false)
    private List<String> tags;

    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "depends_on", nullable = false)
    private List<String> dependsOn;

    private String description;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "scheduled_at")
    private Instant scheduledAt;

    @Column(name = "start_after")
    private Instant startAfter;

    @Convert(converter = JsonColumns.Millis.class)
    @Column(name = "timeout_ms", nullable = false)
    private Duration timeout;

    @Column(name = "max_retries", nullable = false)
    private int maxRetries;

    @Column(name = "retry_count", nullable = false)
    private int retryCount;

    @Convert(converter = JsonColumns.Millis.class)
    @Column(name = "retry_delay_ms", nullable = false)
    private Duration retryDelay;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "completed_at")
    private Instant completedAt;

    @Convert(converter = JsonColumns.Millis.class)
    @Column(name = "duration_ms")
    private Duration duration;

    @Column(name = "exit_code")
    private Integer exitCode;

    private String output;

    @Column(name = "error_message")
    private String errorMessage;

    @Column(name = "log_path")
    private String logPath;

    @Convert(converter = JsonColumns.HostStatsMap.class)
    @Column(name = "host_stats")
    private SortedMap<String, HostStats> hostStats;

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Column(name = "lease_token", nullable = false)
    private long leaseToken;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "event_seq", nullable = false)
    private long eventSeq;

    @Convert(converter = JsonColumns.Secrets.class)
    @Column(name = "secret_variables")
    private SealedSecrets secretVariables;

    protected Job() {
    }

    /** A new job: scheduled when its time lies ahead, queued otherwise. */
    public static Job create(String id, JobSpec spec, String userId, Instant createdAt) {
        Job job = new Job();
        job.id = id;
        job.name = spec.name();
        job.type = spec.type();
        job.priority = spec.priority();
        job.playbook = spec.playbook();
        job.inventory = spec.inventory();
        job.variables = spec.variables();
        job.tags = spec.tags();
        job.dependsOn = spec.dependsOn();
        job.description = spec.description();
        job.userId = userId;
        job.scheduledAt = spec.scheduledAt();
        job.timeout = spec.timeout();
        job.maxRetries = spec.maxRetries();
        job.retryDelay = spec.retryDelay();
        job.secretVariables = spec.secretVariables();
        job.createdAt = createdAt;
        boolean later = spec.scheduledAt() != null && spec.scheduledAt().isAfter(createdAt);
        job.status = later ? JobStatus.SCHEDULED : JobStatus.QUEUED;
        job.startAfter = later ? spec.scheduledAt() : null;
        return job;
    }

    public JobSpec spec() {
        return new JobSpec(name, type, priority, playbook, inventory, variables, tags, description,
                scheduledAt, timeout, dependsOn, maxRetries, retryDelay, secretVariables);
    }

    /** An event about this job that does not change its status (creation, progress). */
    public JobEvent record(JobEventType type, String message, String data, Instant now) {
        eventSeq++;
        return new JobEvent(id, eventSeq, type, status, message, data, now);
    }

    private JobEvent moveTo(JobStatus next, String message, String data, Instant now) {
        status.checkTransitionTo(next);
        status = next;
        return record(JobEventType.reporting(next), message, data, now);
    }

    /** The first event of a new job: the one announcing its initial status. */
    public JobEvent announceInitialStatus(Instant now) {
        return record(JobEventType.reporting(status),
                status == JobStatus.SCHEDULED ? "scheduled for " + scheduledAt : "waiting for a worker", null, now);
    }

    /** A scheduled job whose time has come joins the queue. */
    public JobEvent promote(Instant now) {
        return moveTo(JobStatus.QUEUED, "scheduled time reached", null, now);
    }

    /** A worker of {@code owner} takes the job; the fencing token grows with every claim. */
    public JobEvent start(String owner, Instant leaseUntil, Path logDirectory, Instant now) {
        JobEvent event = moveTo(JobStatus.RUNNING, "started by " + owner, null, now);
        leaseOwner = owner;
        leaseToken++;
        leaseExpiresAt = leaseUntil;
        startedAt = now;
        completedAt = null;
        duration = null;
        exitCode = null;
        errorMessage = null;
        // one log per run, so that a retry never overwrites the log of an earlier attempt
        logPath = logDirectory.resolve(id + "-" + leaseToken + ".log").toString();
        return event;
    }

    /** True while the run holding {@code token} is still the job's current run. */
    public boolean isHeldBy(long token) {
        return status == JobStatus.RUNNING && leaseToken == token;
    }

    /**
     * The run ended for good: completed, failed, timeout or cancelled.
     *
     * @param attemptOutcome what the attempt record says: the status, or {@code orphaned}
     */
    public RunEnd finish(JobStatus outcome, String attemptOutcome, Integer exit, String error, String outputTail,
                         SortedMap<String, HostStats> stats, Instant now) {
        status.checkTransitionTo(outcome);
        JobAttempt attempt = closeRun(attemptOutcome, exit, error, now);
        JobEvent event = moveTo(outcome, error == null ? outcome.wireName() : error, null, now);
        exitCode = exit;
        errorMessage = error;
        output = outputTail;
        hostStats = stats;
        completedAt = now;
        startAfter = null;
        return new RunEnd(event, attempt);
    }

    /**
     * The run ended but the job must run again: a retry after backoff, a rescued orphan, or a
     * run handed back at shutdown. Only the first two use up a retry.
     *
     * @param notBefore the earliest next start, or null for "as soon as a worker is free"
     */
    public RunEnd requeue(String attemptOutcome, boolean countsAsRetry, Instant notBefore, String reason,
                          Integer exit, String outputTail, Instant now) {
        status.checkTransitionTo(JobStatus.QUEUED);
        JobAttempt attempt = closeRun(attemptOutcome, exit, reason, now);
        if (countsAsRetry) {
            retryCount++;
        }
        exitCode = exit;
        errorMessage = reason;
        output = outputTail;
        startAfter = notBefore;
        status = JobStatus.QUEUED;
        String data = countsAsRetry ? JsonColumns.write(Map.of("attempt", leaseToken + 1, "retry", retryCount,
                "nextStart", String.valueOf(notBefore), "reason", String.valueOf(reason))) : null;
        JobEvent event = record(countsAsRetry ? JobEventType.RETRIED : JobEventType.QUEUED, reason, data, now);
        return new RunEnd(event, attempt);
    }

    /** A job that never ran ends here: cancelled before it started, or failed because a dependency did. */
    public JobEvent endWithoutRunning(JobStatus outcome, String reason, Instant now) {
        JobEvent event = moveTo(outcome, reason, null, now);
        errorMessage = outcome == JobStatus.FAILED ? reason : null;
        completedAt = now;
        startAfter = null;
        return event;
    }

    /** Closes the current run: its attempt record, and the lease is released. */
    private JobAttempt closeRun(String outcome, Integer exit, String error, Instant now) {
        JobAttempt attempt = new JobAttempt(id, leaseToken, leaseOwner, startedAt, now, outcome, exit, error, logPath);
        duration = Duration.between(startedAt, now);
        leaseOwner = null;
        leaseExpiresAt = null;
        return attempt;
    }

    /** The event and the attempt record of a run that closed; both are stored in the same transaction. */
    public record RunEnd(JobEvent event, JobAttempt attempt) {
    }

    public boolean hasRetriesLeft() {
        return retryCount < maxRetries;
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public JobType getType() {
        return type;
    }

    public Priority getPriority() {
        return priority;
    }

    public JobStatus getStatus() {
        return status;
    }

    public String getPlaybook() {
        return playbook;
    }

    public List<String> getInventory() {
        return inventory;
    }

    public Map<String, String> getVariables() {
        return variables;
    }

    public List<String> getTags() {
        return tags;
    }

    public List<String> getDependsOn() {
        return dependsOn;
    }

    public String getDescription() {
        return description;
    }

    public String getUserId() {
        return userId;
    }

    public Instant getScheduledAt() {
        return scheduledAt;
    }

    public Instant getStartAfter() {
        return startAfter;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    public int getRetryCount() {
        return retryCount;
    }

    public Duration getRetryDelay() {
        return retryDelay;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getCompletedAt() {
        return completedAt;
    }

    public Duration getDuration() {
        return duration;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public String getOutput() {
        return output;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public String getLogPath() {
        return logPath;
    }

    public SortedMap<String, HostStats> getHostStats() {
        return hostStats;
    }

    public String getLeaseOwner() {
        return leaseOwner;
    }

    public long getLeaseToken() {
        return leaseToken;
    }

    public Instant getLeaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** Sealed; null when the job has none. */
    public SealedSecrets getSecretVariables() {
        return secretVariables;
    }
}
