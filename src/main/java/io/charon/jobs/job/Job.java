package io.charon.jobs.job;

import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Embedded;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import org.hibernate.annotations.DynamicUpdate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.stream.Collectors;

/**
 * A stored job. Fields change only through the transition methods below, each of which checks
 * the state machine ({@link JobStatus}) and the status it applies to, and returns the event that
 * reports the change; the caller persists that event in the same transaction. What the job is
 * asked to do is one value, its {@link JobSpec}.
 *
 * <p>Longer than most classes here: twenty columns with their getters; the logic is the dozen
 * transition methods.
 *
 * <p>Updates name only the changed columns ({@link DynamicUpdate}): a claim or an outcome
 * changes a dozen of them, and writing the whole row serialized every JSON column and made
 * SQLite rewrite the entries of every index on the table.
 */
@Entity
@DynamicUpdate
@Table(name = "jobs")
public class Job {

    private static final String LOCAL_HOST = "localhost";
    /** Why a job that could not start by its start deadline was cancelled. */
    private static final String START_DEADLINE_PASSED = "start deadline passed";

    /** {@link #lockedHosts()}, worked out once: a claim asks for it several times. */
    @Transient
    private List<String> lockedHosts;

    @Id
    private String id;

    /** What the job is asked to do; never changes once the job exists. */
    @Embedded
    private JobSpec spec;

    @Convert(converter = JobColumns.Status.class)
    @Column(nullable = false)
    private JobStatus status;

    @Column(name = "user_id", nullable = false)
    private String userId;

    @Column(name = "start_after")
    private Instant startAfter;

    /**
     * The instant by which a job that has never started must start, or it ends cancelled; null
     * once it started or ended, and for a job without a start deadline.
     */
    @Column(name = "start_deadline_at")
    private Instant startDeadlineAt;

    @Column(name = "retry_count", nullable = false)
    private int retryCount;

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

    @Convert(converter = JobColumns.HostStatsMap.class)
    @Column(name = "host_stats")
    private SortedMap<String, HostStats> hostStats;

    /** What the last finished run published with {@code set_stats}; empty when nothing. */
    @Convert(converter = JobColumns.Artifacts.class)
    private Map<String, Object> artifacts = Map.of();

    /** The hosts the next run is limited to (a failed-hosts retry); empty: all of the job's hosts. */
    @Convert(converter = JsonColumns.StringList.class)
    @Column(name = "retry_hosts", nullable = false)
    private List<String> retryHosts = List.of();

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Column(name = "lease_token", nullable = false)
    private long leaseToken;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "event_seq", nullable = false)
    private long eventSeq;

    /** When the job was first found waiting for hosts: that is reported once. */
    @Column(name = "blocked_at")
    private Instant blockedAt;

    protected Job() {
    }

    /**
     * A new job: scheduled when its time lies ahead, queued otherwise. Its start deadline counts
     * from the time it falls due: the scheduled time, or else its creation.
     */
    public static Job create(String id, JobSpec spec, String userId, Instant createdAt) {
        Job job = new Job();
        job.id = id;
        job.spec = spec;
        job.userId = userId;
        job.createdAt = createdAt;
        boolean later = spec.scheduledAt() != null && spec.scheduledAt().isAfter(createdAt);
        job.status = later ? JobStatus.SCHEDULED : JobStatus.QUEUED;
        job.startAfter = later ? spec.scheduledAt() : null;
        if (spec.startDeadline() != null) {
            job.startDeadlineAt = (later ? spec.scheduledAt() : createdAt).plus(spec.startDeadline());
        }
        return job;
    }

    public JobSpec spec() {
        return spec;
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
                status == JobStatus.SCHEDULED ? "scheduled for " + spec.scheduledAt() : "waiting for a worker", null, now);
    }

    /**
     * A queued job found waiting for hosts that running jobs hold, reported once: empty when it was
     * before, or when it no longer waits.
     *
     * @param data the event's data: the hosts it waits for
     */
    public Optional<JobEvent> reportBlocked(List<Blocker> blockers, String data, Instant now) {
        if (status != JobStatus.QUEUED || blockedAt != null || blockers.isEmpty()) {
            return Optional.empty();
        }
        blockedAt = now;
        // the holders are other users' jobs as often as not: the event, which this job's user reads, names only hosts
        String hosts = blockers.stream().flatMap(blocker -> blocker.hosts().stream()).distinct().sorted()
                .collect(Collectors.joining(", "));
        return Optional.of(record(JobEventType.BLOCKED, "waiting for hosts running jobs hold: " + hosts, data, now));
    }

    /** A scheduled job whose time has come joins the queue. */
    public JobEvent promote(Instant now) {
        requireStatus(JobStatus.QUEUED, JobStatus.SCHEDULED);
        return moveTo(JobStatus.QUEUED, "scheduled time reached", null, now);
    }

    /** A worker of {@code owner} takes the job; the fencing token grows with every claim. */
    public JobEvent start(String owner, Instant leaseUntil, Path logDirectory, Instant now) {
        JobEvent event = moveTo(JobStatus.RUNNING, "started by " + owner, null, now);
        leaseOwner = owner;
        leaseToken++;
        leaseExpiresAt = leaseUntil;
        startedAt = now;
        // it started: a retry, a rescue or a hand-back later is no late start
        startDeadlineAt = null;
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

    /** The run ended for good: completed, failed, timeout or cancelled. Only a running job has a run to end. */
    public RunEnd finish(RunResult result, Instant now) {
        requireStatus(result.outcome(), JobStatus.RUNNING);
        status.checkTransitionTo(result.outcome());
        JobAttempt attempt = closeRun(result.attemptOutcome(), result.exitCode(), result.error(), now);
        JobEvent event = moveTo(result.outcome(), result.error() == null ? result.outcome().wireName() : result.error(),
                null, now);
        exitCode = result.exitCode();
        errorMessage = result.error();
        output = result.outputTail();
        hostStats = spec.retryScope().merge(hostStats, result.hostStats());
        artifacts = result.artifacts();
        retryHosts = List.of();
        completedAt = now;
        startAfter = null;
        return new RunEnd(event, attempt);
    }

    /**
     * The run ended but the job must run again ({@link Requeue}). Only a running job has a run to
     * end. A retry records the run's per-host results and, under the {@code failed-hosts} scope,
     * limits the next run to the hosts that failed or were unreachable; a rescued orphan or a
     * handed-back run runs again on the hosts it had.
     */
    public RunEnd requeue(Requeue again, Instant now) {
        requireStatus(JobStatus.QUEUED, JobStatus.RUNNING);
        status.checkTransitionTo(JobStatus.QUEUED);
        JobAttempt attempt = closeRun(again.attemptOutcome(), again.exitCode(), again.reason(), now);
        if (again.countsAsRetry()) {
            retryCount++;
        }
        if (again.afterFailure()) {
            hostStats = spec.retryScope().merge(hostStats, again.hostStats());
            retryHosts = spec.retryScope().hostsToRetry(again.hostStats());
        }
        exitCode = again.exitCode();
        errorMessage = again.reason();
        output = again.outputTail();
        startAfter = again.notBefore();
        status = JobStatus.QUEUED;
        String data = again.countsAsRetry() ? JsonColumns.write(Map.of("attempt", leaseToken + 1, "retry", retryCount,
                "nextStart", String.valueOf(again.notBefore()), "reason", String.valueOf(again.reason()))) : null;
        JobEvent event = record(again.countsAsRetry() ? JobEventType.RETRIED : JobEventType.QUEUED, again.reason(),
                data, now);
        return new RunEnd(event, attempt);
    }

    /** A job waiting on {@code dependency} fails with it: it could never run. */
    public JobEvent failBecauseOf(Job dependency, Instant now) {
        return endWithoutRunning(JobStatus.FAILED, "dependency " + dependency.getId() + " ended "
                + dependency.getStatus().wireName(), now);
    }

    /** A job that never ran ends here: cancelled before it started, or failed because a dependency did. */
    public JobEvent endWithoutRunning(JobStatus outcome, String reason, Instant now) {
        return endWithoutRunning(outcome, reason, outcome == JobStatus.FAILED ? reason : null, null, now);
    }

    /** A job that could not start by its start deadline ends cancelled instead of starting late. */
    public JobEvent missStartDeadline(Instant now) {
        String data = JsonColumns.write(Map.of("reason", START_DEADLINE_PASSED,
                "startDeadline", String.valueOf(spec.startDeadline()), "deadline", String.valueOf(startDeadlineAt)));
        return endWithoutRunning(JobStatus.CANCELLED, START_DEADLINE_PASSED, START_DEADLINE_PASSED, data, now);
    }

    private JobEvent endWithoutRunning(JobStatus outcome, String reason, String error, String data, Instant now) {
        requireStatus(outcome, JobStatus.SCHEDULED, JobStatus.QUEUED);
        JobEvent event = moveTo(outcome, reason, data, now);
        errorMessage = error;
        completedAt = now;
        startAfter = null;
        startDeadlineAt = null;
        return event;
    }

    /**
     * Refuses a transition the job's status table allows but the method does not apply to, such
     * as finishing a run of a job that never started.
     */
    private void requireStatus(JobStatus next, JobStatus... from) {
        for (JobStatus allowed : from) {
            if (status == allowed) {
                return;
            }
        }
        throw new IllegalTransitionException(status, next);
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
        return retryCount < spec.maxRetries();
    }

    /**
     * Whether a run that ended {@code ending} ({@code failed} or {@code timeout}) with these
     * per-host results is retried: retries are left and one of its kinds is in {@code retryOn}.
     */
    public boolean retriesAfter(JobStatus ending, SortedMap<String, HostStats> runHostStats) {
        return hasRetriesLeft() && RetryOn.kindsOf(ending, runHostStats).stream().anyMatch(spec.retryOn()::contains);
    }

    public String getId() {
        return id;
    }

    public String getName() {
        return spec.name();
    }

    public JobType getType() {
        return spec.type();
    }

    public Priority getPriority() {
        return spec.priority();
    }

    public JobStatus getStatus() {
        return status;
    }

    public String getPlaybook() {
        return spec.playbook();
    }

    public List<String> getInventory() {
        return spec.inventory();
    }

    /**
     * The hosts this job locks while it runs: every host its inventory stands for, ranges
     * expanded and an entry's {@code :port} left out, as Ansible reads them; none when it opts
     * out. {@code localhost} is the service's own machine, where runs have always run side by
     * side: it takes no lock.
     */
    public List<String> lockedHosts() {
        if (spec.hostLock() == HostLock.NONE) {
            return List.of();
        }
        if (lockedHosts == null) {
            lockedHosts = spec.inventory().stream().flatMap(entry -> HostRanges.expand(entry).stream())
                    .map(Job::withoutPort).filter(host -> !LOCAL_HOST.equals(host)).distinct().toList();
        }
        return lockedHosts;
    }

    /** {@code web1:2222} is host {@code web1} on port 2222; an IPv6 address (more than one colon) stays whole. */
    private static String withoutPort(String host) {
        int colon = host.indexOf(':');
        if (colon < 0 || colon != host.lastIndexOf(':') || colon == host.length() - 1) {
            return host;
        }
        return host.substring(colon + 1).chars().allMatch(Character::isDigit) ? host.substring(0, colon) : host;
    }

    public String getQueue() {
        return spec.queue();
    }

    public HostLock getHostLock() {
        return spec.hostLock();
    }

    public Map<String, String> getVariables() {
        return spec.variables();
    }

    public List<String> getTags() {
        return spec.tags();
    }

    public List<String> getDependsOn() {
        return spec.dependsOn();
    }

    public String getDescription() {
        return spec.description();
    }

    public String getUserId() {
        return userId;
    }

    public Instant getScheduledAt() {
        return spec.scheduledAt();
    }

    public Instant getStartAfter() {
        return startAfter;
    }

    public Duration getTimeout() {
        return spec.timeout();
    }

    public Instant getStartDeadlineAt() {
        return startDeadlineAt;
    }

    public int getMaxRetries() {
        return spec.maxRetries();
    }

    public int getRetryCount() {
        return retryCount;
    }

    public Duration getRetryDelay() {
        return spec.retryDelay();
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

    public Map<String, Object> getArtifacts() {
        return artifacts;
    }

    public JobMode getMode() {
        return spec.mode();
    }

    public SortedMap<String, HostStats> getHostStats() {
        return hostStats;
    }

    /** The hosts the next (or current) run is limited to; empty for all of the job's hosts. */
    public List<String> getRetryHosts() {
        return retryHosts;
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
        return spec.secretVariables();
    }
}
