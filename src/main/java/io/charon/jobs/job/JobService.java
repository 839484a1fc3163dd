package io.charon.jobs.job;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.InsertsAtCommit;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Owns every transaction that changes a job. Each change goes through the job's transition
 * methods and stores its event in the same short transaction; observers hear of the event only
 * after the commit ({@link RecordedEvent}). Reads run outside write transactions, since every
 * SQLite write transaction takes the database's write lock.
 */
@ApplicationScoped
public class JobService {

    private static final Logger LOG = Logger.getLogger(JobService.class);
    /** Most submissions stored in one group commit. */
    static final int SUBMISSION_BATCH = 256;
    /** Most run outcomes recorded in one group commit. */
    static final int OUTCOME_BATCH = 128;

    private final SubmissionValidator validator;
    private final RetryPolicy retryPolicy;
    private final EventRecorder events;
    private final AtomicLong lastCreationMillis = new AtomicLong();
    private final GroupCommit<NewJob, Submitted> submissions;
    private final GroupCommit<RunOutcome, Optional<JobStatus>> outcomes;

    private final RequestFingerprint fingerprint;
    private final AuditTrail audit;
    private final Store store;
    private final InsertsAtCommit rows;
    private final ClaimsAlongWrites claims;

    public JobService(SubmissionValidator validator, RetryPolicy retryPolicy, EventRecorder events,
                      RequestFingerprint fingerprint, AuditTrail audit, Store store, InsertsAtCommit rows,
                      ClaimsAlongWrites claims) {
        this.store = store;
        this.claims = claims;
        this.rows = rows;
        this.validator = validator;
        this.audit = audit;
        this.fingerprint = fingerprint;
        this.retryPolicy = retryPolicy;
        this.events = events;
        this.submissions = new GroupCommit<>("charon-submissions", SUBMISSION_BATCH,
                batch -> claimingAlong(ClaimsAlongWrites.Writer.SUBMISSIONS, 0, () -> store(batch)));
        // each outcome frees its run's worker slot: the jobs claimed along may take it
        this.outcomes = new GroupCommit<>("charon-outcomes", OUTCOME_BATCH,
                batch -> claimingAlong(ClaimsAlongWrites.Writer.OUTCOMES, batch.size(), () -> recordOutcomes(batch)));
    }

    /**
     * A group commit's writes in one new transaction, with the claims the dispatcher makes along
     * them ({@link ClaimsAlongWrites}); the jobs claimed start after the commit, before the batch's
     * callers are answered. A claim that fails fails the transaction, as any of its writes would:
     * jobs it had marked running must not be committed without being started.
     */
    private <O> GroupCommit.Written<O> claimingAlong(ClaimsAlongWrites.Writer writer, int freeing,
                                                     Supplier<List<GroupCommit.Result<O>>> writes) {
        ClaimsAlongWrites.AfterCommit[] claimed = {ClaimsAlongWrites.AfterCommit.NOTHING};
        List<GroupCommit.Result<O>> results;
        try {
            results = QuarkusTransaction.requiringNew().call(() -> {
                List<GroupCommit.Result<O>> written = writes.get();
                claimed[0] = claims.claimInTransaction(writer, freeing);
                return written;
            });
        } catch (RuntimeException | Error e) {
            claimed[0].ended(false);
            throw e;
        }
        return new GroupCommit.Written<>(results, () -> claimed[0].ended(true));
    }

    // ---- submission ---------------------------------------------------------------------------

    /** Validates and stores a new job; when this returns, the job is committed to disk. */
    public Job submit(JobSubmission submission, String userId) {
        return submit(submission, userId, null).job();
    }

    /**
     * Validates and stores a new job, once per idempotency key: a repeat of the same request
     * with the same key (per user) returns the job the first one created, a different request
     * with that key is refused. When this returns, the job is committed to disk.
     *
     * @param idempotencyKey null for none
     * @throws IdempotencyConflictException the key was used for a different request
     */
    public Submitted submit(JobSubmission submission, String userId, String idempotencyKey) {
        return submit(submission, Actor.user(userId), idempotencyKey);
    }

    /**
     * As {@link #submit(JobSubmission, String, String)}, for an actor: the job belongs to its user,
     * and it may depend only on jobs the actor may see (another user's job is "no such job").
     */
    public Submitted submit(JobSubmission submission, Actor actor, String idempotencyKey) {
        JobSpec spec = validator.validate(submission);
        Idempotency idempotency = idempotencyKey == null ? null
                : new Idempotency(idempotencyKey, fingerprint.of(spec));
        return submissions.write(new NewJob(spec, actor, "created by " + actor.userId(), idempotency,
                AuditActions.JOB_SUBMIT, null));
    }

    /**
     * A job to store, the message of its {@code job.created} event, its idempotency key if any,
     * and how the audit trail names its creation.
     */
    private record NewJob(JobSpec spec, Actor actor, String note, Idempotency idempotency, String auditAction,
                          String auditDetail) {
        String userId() {
            return actor.userId();
        }
    }

    private record Idempotency(String key, String requestHash) {
    }

    @PreDestroy
    void stopGroupCommits() {
        submissions.close();
        outcomes.close();
    }

    /** A new job from the spec of a finished one; its schedule is not repeated. */
    public Job relaunch(String id, String userId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job original = findStored(id);
            if (!original.getStatus().isTerminal()) {
                throw new JobConflictException("job " + id + " is " + original.getStatus().wireName()
                        + "; only a finished job can be relaunched");
            }
            JobSpec spec = original.spec();
            JobSpec again = new JobSpec(spec.name(), spec.type(), spec.priority(), spec.playbook(), spec.inventory(),
                    spec.variables(), spec.tags(), spec.description(), null, spec.timeout(), spec.dependsOn(),
                    spec.maxRetries(), spec.retryDelay(), spec.secretVariables());
            GroupCommit.Result<Submitted> stored = store(List.of(new NewJob(again, new Actor(userId, true),
                    "relaunch of " + id + " by " + userId, null, AuditActions.JOB_RELAUNCH, "relaunch of " + id))).get(0);
            if (stored.error() != null) {
                throw stored.error();
            }
            return stored.value().job();
        });
    }

    /**
     * Stores new jobs in the caller's transaction, each with its tags, dependency links and first
     * events. Built to serve a whole group commit: the job rows go in one flush (JDBC-batched),
     * the link rows in one batch per table, and each job's events are recorded before its row is
     * written, so the row goes in once with its final event counter instead of being updated.
     * A job whose dependencies are missing is refused alone, before anything of it is written.
     * A submission whose idempotency key is already stored (or earlier in the batch) gets that
     * key's job instead, or a conflict when its request differs.
     */
    private List<GroupCommit.Result<Submitted>> store(List<NewJob> submissions) {
        Instant now = now();
        List<GroupCommit.Result<Submitted>> results = new ArrayList<>(submissions.size());
        List<Job> created = new ArrayList<>(submissions.size());
        List<JobEvent> firstEvents = new ArrayList<>(submissions.size() * 2);
        Map<List<String>, KeyedJob> keys = new HashMap<>();
        List<AuditEntry> audited = new ArrayList<>(submissions.size());
        for (NewJob submission : submissions) {
            JobSpec spec = submission.spec();
            Idempotency idempotency = submission.idempotency();
            List<String> key = idempotency == null ? null : List.of(submission.userId(), idempotency.key());
            if (key != null) {
                KeyedJob earlier = keys.containsKey(key) ? keys.get(key) : storedKey(key);
                if (earlier != null) {
                    results.add(earlier.requestHash().equals(idempotency.requestHash())
                            ? GroupCommit.Result.of(new Submitted(earlier.job(), false))
                            : GroupCommit.Result.failed(new IdempotencyConflictException(idempotency.key())));
                    continue;
                }
            }
            List<Job> dependencies;
            try {
                dependencies = loadDependencies(spec.dependsOn(), submission.actor());
            } catch (InvalidInputException e) {
                results.add(GroupCommit.Result.failed(e));
                continue;
            }
            Instant createdAt = nextCreationTime(now);
            Job job = Job.create(JobIds.next(createdAt), spec, submission.userId(), createdAt);
            firstEvents.add(job.record(JobEventType.CREATED, submission.note(), null, now));
            firstEvents.add(job.announceInitialStatus(now));
            dependencies.stream().filter(d -> d.getStatus().isTerminal() && d.getStatus() != JobStatus.COMPLETED)
                    .findFirst()
                    .ifPresent(d -> firstEvents.add(job.endWithoutRunning(JobStatus.FAILED, dependencyFailure(d), now)));
            store.session().persist(job);
            created.add(job);
            audited.add(AuditEntry.success(submission.userId(), submission.auditAction(), job.getId(),
                    submission.auditDetail()));
            if (key != null) {
                keys.put(key, new KeyedJob(job, idempotency.requestHash(), true));
            }
            results.add(GroupCommit.Result.of(new Submitted(job, true)));
        }
        EntityManager em = store.session();
        em.flush(); // the rows below reference the job rows
        em.unwrap(Session.class).doWork(connection -> {
            // tags carry the job's creation time, so that listing by tag can walk their index in page order
            insertLinks(connection, "INSERT INTO job_tags (tag, job_id, created_at) VALUES (?, ?, ?)", created,
                    Job::getTags, true);
            insertLinks(connection, "INSERT INTO job_dependencies (depends_on_id, job_id) VALUES (?, ?)", created,
                    Job::getDependsOn, false);
            insertKeys(connection, keys, now);
        });
        audit.recordInTransaction(audited);
        firstEvents.forEach(this::save);
        return results;
    }

    /**
     * One JDBC batch of (value, job id[, job creation time]) rows for a link table. The time is
     * bound as a JDBC timestamp, which the SQLite driver stores as epoch milliseconds, as Hibernate
     * stores the jobs' own instants.
     */
    private static void insertLinks(Connection connection, String sql, List<Job> jobs,
                                    Function<Job, List<String>> values, boolean withCreatedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            boolean any = false;
            for (Job job : jobs) {
                for (String value : values.apply(job)) {
                    insert.setString(1, value);
                    insert.setString(2, job.getId());
                    if (withCreatedAt) {
                        insert.setTimestamp(3, Timestamp.from(job.getCreatedAt()));
                    }
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
    }

    /** A job stored under an idempotency key; {@code isNew} when this batch creates it. */
    private record KeyedJob(Job job, String requestHash, boolean isNew) {
    }

    /** The job stored under {@code key} (user, key), or null. */
    private KeyedJob storedKey(List<String> key) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = store.session()
                .createNativeQuery("SELECT job_id, request_hash FROM idempotency_keys WHERE user_id = ?1 AND key = ?2")
                .setParameter(1, key.get(0)).setParameter(2, key.get(1)).getResultList();
        if (rows.isEmpty()) {
            return null;
        }
        Job job = store.session().find(Job.class, rows.get(0)[0]);
        return new KeyedJob(job, (String) rows.get(0)[1], false);
    }

    private static void insertKeys(Connection connection, Map<List<String>, KeyedJob> keys, Instant now)
            throws SQLException {
        List<Map.Entry<List<String>, KeyedJob>> fresh = keys.entrySet().stream().filter(e -> e.getValue().isNew()).toList();
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<List<String>, KeyedJob> entry : fresh) {
                insert.setString(1, entry.getKey().get(0));
                insert.setString(2, entry.getKey().get(1));
                insert.setString(3, entry.getValue().requestHash());
                insert.setString(4, entry.getValue().job().getId());
                insert.setTimestamp(5, Timestamp.from(now));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The jobs named by {@code dependsOn}; one the actor may not see counts as missing. */
    private List<Job> loadDependencies(List<String> ids, Actor actor) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Job> found = jobs(ids).stream().filter(actor::maySee).toList();
        if (found.size() != ids.size()) {
            List<String> missing = new ArrayList<>(ids);
            found.forEach(j -> missing.remove(j.getId()));
            throw new InvalidInputException("dependsOn", "no such jobs: " + String.join(", ", missing));
        }
        return found;
    }

    /**
     * Creation times strictly increase within this process, so that FIFO order within a priority
     * holds even for jobs submitted in the same millisecond (the store keeps milliseconds).
     */
    private Instant nextCreationTime(Instant now) {
        long millis = lastCreationMillis.updateAndGet(last -> Math.max(last + 1, now.toEpochMilli()));
        return Instant.ofEpochMilli(millis);
    }

    // ---- runs -----------------------------------------------------------------------------------

    /**
     * Stores a progress event of a running job, if the run holding {@code token} still owns it.
     *
     * @return false when the run no longer owns the job (cancelled, rescued, claimed again)
     */
    public boolean recordProgress(String jobId, long token, String message, String data) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = store.session().find(Job.class, jobId);
            if (job == null || !job.isHeldBy(token)) {
                return false;
            }
            save(job.record(JobEventType.PROGRESS, message, data, now()));
            return true;
        });
    }

    /**
     * Records how a run ended, without making the worker wait: the outcome joins the next group
     * commit. Fenced by the claim token: the result of a run that no longer owns the job (it was
     * cancelled, rescued or claimed again) changes nothing. Until the commit the job stays running
     * in the store; if it cannot be recorded, the lease runs out and the rescue rules settle it.
     *
     * @return completes with the job's status afterwards, or empty when the result was stale
     */
    public CompletableFuture<Optional<JobStatus>> finishRunLater(String jobId, long token, ExecutionOutcome outcome) {
        return outcomes.submit(new RunOutcome(jobId, token, outcome));
    }

    private record RunOutcome(String jobId, long token, ExecutionOutcome outcome) {
    }

    /** Records, in the caller's transaction, the outcomes of runs that ended at about the same time. */
    private List<GroupCommit.Result<Optional<JobStatus>>> recordOutcomes(List<RunOutcome> batch) {
        List<GroupCommit.Result<Optional<JobStatus>>> results = new ArrayList<>(batch.size());
        // one query for the batch's jobs; recordOutcome then finds each in the session
        jobs(batch.stream().map(RunOutcome::jobId).toList());
        for (RunOutcome run : batch) {
            try {
                results.add(GroupCommit.Result.of(recordOutcome(run.jobId(), run.token(), run.outcome())));
            } catch (IllegalTransitionException e) {
                results.add(GroupCommit.Result.failed(e));
            }
        }
        return results;
    }

    private Optional<JobStatus> recordOutcome(String jobId, long token, ExecutionOutcome outcome) {
        Job job = store.session().find(Job.class, jobId);
        if (job == null || !job.isHeldBy(token)) {
            LOG.infof("ignoring the result of a stale run of job %s (token %d)", jobId, token);
            return Optional.empty();
        }
        Instant now = now();
        Integer exit = outcome.exitCode();
        String tail = outcome.outputTail();
        switch (outcome.kind()) {
            case SUCCEEDED -> save(job.finish(JobStatus.COMPLETED, JobStatus.COMPLETED.wireName(), exit, null, tail,
                    outcome.hostStats(), now));
            case FAILED -> {
                if (job.hasRetriesLeft()) {
                    int retry = job.getRetryCount() + 1;
                    Instant next = now.plus(retryPolicy.delayBeforeRetry(retry, job.getRetryDelay()));
                    save(job.requeue(JobStatus.FAILED.wireName(), true, next, outcome.error() + "; retry " + retry
                            + " of " + job.getMaxRetries() + " at " + next, exit, tail, now));
                } else {
                    save(job.finish(JobStatus.FAILED, JobStatus.FAILED.wireName(), exit, outcome.error(), tail,
                            outcome.hostStats(), now));
                }
            }
            case TIMED_OUT -> save(job.finish(JobStatus.TIMEOUT, JobStatus.TIMEOUT.wireName(), exit, outcome.error(),
                    tail, outcome.hostStats(), now));
            case CANCELLED -> save(job.finish(JobStatus.CANCELLED, JobStatus.CANCELLED.wireName(), exit,
                    outcome.error(), tail, outcome.hostStats(), now));
            case INTERRUPTED -> save(job.requeue(JobAttempt.INTERRUPTED, false, null,
                    "handed back: the service stopped while it ran", exit, tail, now));
        }
        failDependentsOf(job, now);
        return Optional.of(job.getStatus());
    }

    /** The message of a job failed by the {@code fail} orphan policy or out of retries. */
    public static final String ORPHANED = "orphaned: the service stopped while it ran";

    /**
     * Settles a run whose owner is gone: its lease ran out, or this very instance owned it before
     * a restart. {@code requeue} runs it again as a new attempt while retries are left;
     * {@code fail} ends it at once. Fenced by the token like any outcome.
     *
     * @param ownedByMe true for this instance's own orphans, found at start-up: no lease check
     */
    public boolean rescueOrphan(String jobId, long token, JobsConfig.OrphanPolicy policy, boolean ownedByMe) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = store.session().find(Job.class, jobId);
            Instant now = now();
            if (job == null || !job.isHeldBy(token)
                    || (!ownedByMe && job.getLeaseExpiresAt() != null && job.getLeaseExpiresAt().isAfter(now))) {
                return false;
            }
            if (policy == JobsConfig.OrphanPolicy.REQUEUE && job.hasRetriesLeft()) {
                save(job.requeue(JobAttempt.ORPHANED, true, now, ORPHANED + " (run " + job.getLeaseToken() + " on "
                        + job.getLeaseOwner() + ")", null, null, now));
            } else {
                save(job.finish(JobStatus.FAILED, JobAttempt.ORPHANED, null, ORPHANED, null, null, now));
                failDependentsOf(job, now);
            }
            return true;
        });
    }

    /**
     * Cancels a job that has not ended. A waiting job ends at once; a running one ends now in the
     * store, which fences its run out, and its process tree is stopped once this commits (see
     * {@code Dispatcher}). Dependents fail as for any job that did not complete.
     *
     * @param outputTail the log tail of a running job at this moment, kept as its output
     */
    public Job cancel(String id, String userId, java.util.function.Function<Job, String> outputTail) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Job job = findStored(id);
            Instant now = now();
            String reason = "cancelled by " + userId;
            switch (job.getStatus()) {
                case RUNNING -> save(job.finish(JobStatus.CANCELLED, JobStatus.CANCELLED.wireName(), null, reason,
                        outputTail.apply(job), null, now));
                case QUEUED, SCHEDULED -> save(job.endWithoutRunning(JobStatus.CANCELLED, reason, now));
                default -> throw new JobConflictException("job " + id + " already ended " + job.getStatus().wireName());
            }
            audit.recordInTransaction(List.of(AuditEntry.success(userId, AuditActions.JOB_CANCEL, id, null)));
            failDependentsOf(job, now);
            return job;
        });
    }

    /**
     * Deletes up to {@code max} finished jobs that ended before {@code cutoff}, with their events,
     * attempts, tags and dependency links, but never one that a job still waiting or running
     * depends on.
     *
     * @return how many jobs went, and their log files for the caller to remove once this committed
     */
    @SuppressWarnings("unchecked")
    public Deleted deleteFinishedBefore(Instant cutoff, int max) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = store.session();
            List<String> ids = em.createNativeQuery(EXPIRED).setParameter(1, cutoff).setParameter(2, max).getResultList();
            if (ids.isEmpty()) {
                return new Deleted(0, List.of());
            }
            List<String> logs = new ArrayList<>(em.createNativeQuery(
                            "SELECT log_path FROM job_attempts WHERE job_id IN (?1) AND log_path IS NOT NULL")
                    .setParameter(1, ids).getResultList());
            logs.addAll(em.createNativeQuery("SELECT log_path FROM jobs WHERE id IN (?1) AND log_path IS NOT NULL")
                    .setParameter(1, ids).getResultList());
            // links from finished dependents to these jobs; the jobs' own rows go by ON DELETE CASCADE
            em.createNativeQuery("DELETE FROM job_dependencies WHERE depends_on_id IN (?1)").setParameter(1, ids)
                    .executeUpdate();
            em.createNativeQuery("DELETE FROM jobs WHERE id IN (?1)").setParameter(1, ids).executeUpdate();
            return new Deleted(ids.size(), logs.stream().distinct().toList());
        });
    }

    /**
     * Up to ?2 finished jobs that ended before ?1, oldest first, that no waiting or running job
     * depends on. The status is tested as an expression ({@code || ''}) so that SQLite walks the
     * completion-time index in order: given the plain column it chose the status index and read
     * every finished job, two seconds at a million inside a transaction holding the write lock.
     */
    static final String EXPIRED = """
            SELECT j.id FROM jobs j
            WHERE j.completed_at < ?1
              AND (j.status || '') IN ('completed', 'failed', 'cancelled', 'timeout')
              AND NOT EXISTS (SELECT 1 FROM job_dependencies d JOIN jobs c ON c.id = d.job_id
                              WHERE d.depends_on_id = j.id
                                AND c.status NOT IN ('completed', 'failed', 'cancelled', 'timeout'))
            ORDER BY j.completed_at
            LIMIT ?2""";

    /** What a retention batch removed. */
    public record Deleted(int jobs, List<String> logFiles) {
    }

    /**
     * A job that ended without completing takes every job waiting on it down with it, all the
     * way down the chain; they could never run.
     */
    private void failDependentsOf(Job root, Instant now) {
        if (!root.getStatus().isTerminal() || root.getStatus() == JobStatus.COMPLETED) {
            return;
        }
        Deque<Job> ended = new ArrayDeque<>(List.of(root));
        while (!ended.isEmpty()) {
            Job parent = ended.pop();
            @SuppressWarnings("unchecked")
            List<Job> waiting = store.session().createNativeQuery(
                            "SELECT j.* FROM jobs j JOIN job_dependencies d ON d.job_id = j.id"
                                    + " WHERE d.depends_on_id = ?1 AND j.status IN ('queued', 'scheduled')", Job.class)
                    .setParameter(1, parent.getId())
                    .getResultList();
            for (Job dependent : waiting) {
                save(dependent.endWithoutRunning(JobStatus.FAILED, dependencyFailure(parent), now));
                ended.push(dependent);
            }
        }
    }

    private static String dependencyFailure(Job parent) {
        return "dependency " + parent.getId() + " ended " + parent.getStatus().wireName();
    }

    // ---- reads ----------------------------------------------------------------------------------

    /**
     * The job as stored now. Reads hand out detached snapshots: a later read in the same request
     * (as in a wait that outlives the job's run) must see the store, not the session's cache.
     */
    @ActivateRequestContext
    public Job find(String id) {
        Job job = findStored(id);
        store.session().detach(job);
        return job;
    }

    /** Every closed run of the job, first to last. */
    @ActivateRequestContext
    public List<JobAttempt> attempts(String jobId) {
        return store.session().createSelectionQuery("from JobAttempt where jobId = :job order by number", JobAttempt.class)
                .setParameter("job", jobId).getResultList();
    }

    private Job findStored(String id) {
        Job job = store.session().find(Job.class, id);
        if (job == null) {
            throw new JobNotFoundException(id);
        }
        return job;
    }

    /** The log files of the job's runs so far, oldest first, including the one running now. */
    @ActivateRequestContext
    public RunLogs runLogs(String jobId) {
        Job job = find(jobId);
        List<RunLogs.RunLog> runs = new ArrayList<>();
        for (JobAttempt attempt : attempts(jobId)) {
            if (attempt.getLogPath() != null) {
                runs.add(new RunLogs.RunLog(attempt.getNumber(), attempt.getLogPath()));
            }
        }
        if (job.getStatus() == JobStatus.RUNNING && job.getLogPath() != null
                && runs.stream().noneMatch(run -> run.run() == job.getLeaseToken())) {
            runs.add(new RunLogs.RunLog(job.getLeaseToken(), job.getLogPath()));
        }
        return new RunLogs(runs, job.getStatus().isTerminal());
    }

    @ActivateRequestContext
    public List<JobEvent> events(String jobId) {
        find(jobId);
        return store.session().createSelectionQuery("from JobEvent where jobId = :job order by seq", JobEvent.class)
                .setParameter("job", jobId).getResultList();
    }

    @ActivateRequestContext
    public long count(JobStatus status) {
        return store.session().createSelectionQuery("select count(*) from Job where status = :status", Long.class)
                .setParameter("status", status).getSingleResult();
    }

    /**
     * Newest first, keyset-paged: the cursor names the last job of the previous page. With a tag,
     * the tag's index (ordered like the page) drives the query; otherwise the jobs' own indexes do.
     */
    @ActivateRequestContext
    @SuppressWarnings("unchecked")
    public JobPage list(JobFilter filter, int limit, String cursor) {
        boolean byTag = filter.tag() != null;
        // the columns that order the page: the tag entry's copy, or the job's own
        String created = byTag ? "t.created_at" : "j.created_at";
        String id = byTag ? "t.job_id" : "j.id";
        List<Object> params = new ArrayList<>();
        StringBuilder sql = new StringBuilder(byTag
                ? "SELECT j.* FROM job_tags t JOIN jobs j ON j.id = t.job_id WHERE t.tag = ?1"
                : "SELECT j.* FROM jobs j WHERE 1 = 1");
        if (byTag) {
            params.add(filter.tag());
        }
        if (!filter.statuses().isEmpty()) {
            StringJoiner in = new StringJoiner(", ", " AND j.status IN (", ")");
            for (JobStatus status : filter.statuses()) {
                params.add(status.wireName());
                in.add("?" + params.size());
            }
            sql.append(in);
        }
        if (filter.type() != null) {
            params.add(filter.type().wireName());
            sql.append(" AND j.type = ?").append(params.size());
        }
        if (filter.priority() != null) {
            params.add(filter.priority().value());
            sql.append(" AND j.priority = ?").append(params.size());
        }
        if (filter.userId() != null) {
            params.add(filter.userId());
            sql.append(" AND j.user_id = ?").append(params.size());
        }
        if (filter.createdAfter() != null) {
            params.add(filter.createdAfter());
            sql.append(" AND ").append(created).append(" >= ?").append(params.size());
        }
        if (filter.createdBefore() != null) {
            params.add(filter.createdBefore());
            sql.append(" AND ").append(created).append(" < ?").append(params.size());
        }
        if (cursor != null) {
            Cursor after = Cursor.decode(cursor);
            params.add(after.createdAt());
            int at = params.size();
            params.add(after.id());
            sql.append(" AND (").append(created).append(" < ?").append(at).append(" OR (").append(created)
                    .append(" = ?").append(at).append(" AND ").append(id).append(" < ?").append(at + 1).append("))");
        }
        sql.append(" ORDER BY ").append(created).append(" DESC, ").append(id).append(" DESC LIMIT ").append(limit + 1);
        var query = store.session().createNativeQuery(sql.toString(), Job.class);
        for (int i = 0; i < params.size(); i++) {
            query.setParameter(i + 1, params.get(i));
        }
        List<Job> rows = query.getResultList();
        if (rows.size() <= limit) {
            return new JobPage(rows, null);
        }
        Job last = rows.get(limit - 1);
        return new JobPage(rows.subList(0, limit), new Cursor(last.getCreatedAt(), last.getId()).encode());
    }

    /** Position in the newest-first listing, opaque to clients. */
    record Cursor(Instant createdAt, String id) {

        String encode() {
            String raw = createdAt.toEpochMilli() + ":" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String raw = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
                int colon = raw.indexOf(':');
                Instant createdAt = Instant.ofEpochMilli(Long.parseLong(raw.substring(0, colon)));
                if (!InstantRange.contains(createdAt)) {
                    throw new IllegalArgumentException("no job was created then");
                }
                return new Cursor(createdAt, raw.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new InvalidInputException("cursor", "is not a cursor returned by this listing");
            }
        }
    }

    // ---- shared -------------------------------------------------------------------------------

    /** The stored jobs among {@code ids}, loaded into the session. */
    private List<Job> jobs(Collection<String> ids) {
        return store.findAll(Job.class, ids);
    }

    private void save(JobEvent event) {
        events.save(event);
    }

    private void save(Job.RunEnd end) {
        rows.add(JobAttempt.INSERT, end.attempt());
        events.save(end.event());
    }

    private Instant now() {
        return events.now();
    }
}
