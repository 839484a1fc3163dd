package io.charon.jobs.submission;

import io.charon.jobs.commit.ClaimingCommit;
import io.charon.jobs.commit.ClaimsAlongWrites;
import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.commit.GroupCommit;
import io.charon.jobs.job.Actor;
import io.charon.jobs.job.IdempotencyConflictException;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobConflictException;
import io.charon.jobs.job.JobEvent;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.JobIds;
import io.charon.jobs.job.JobSpec;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.JobSubmission;
import io.charon.jobs.job.Submitted;
import io.charon.jobs.query.JobQueries;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.RowLocks;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import org.hibernate.Session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates jobs: new submissions, once per idempotency key, through a group commit, and relaunches
 * of finished jobs. When a call returns, the job is committed to disk with its first events.
 */
@ApplicationScoped
public class JobSubmitter {

    /** Most submissions stored in one group commit. */
    static final int SUBMISSION_BATCH = 256;

    private final SubmissionValidator validator;
    private final RequestFingerprint fingerprint;
    private final JobQueries queries;
    private final EventRecorder events;
    private final AuditTrail audit;
    private final Store store;
    private final RowLocks rowLocks;
    private final AtomicLong lastCreationMillis = new AtomicLong();
    private final GroupCommit<NewJob, Submitted> submissions;

    private final HostReferences hostReferences;

    public JobSubmitter(SubmissionValidator validator, RequestFingerprint fingerprint, JobQueries queries,
                        EventRecorder events, AuditTrail audit, Store store, RowLocks rowLocks, ClaimingCommit commits,
                        HostReferences hostReferences) {
        this.hostReferences = hostReferences;
        this.validator = validator;
        this.fingerprint = fingerprint;
        this.queries = queries;
        this.events = events;
        this.audit = audit;
        this.store = store;
        this.rowLocks = rowLocks;
        this.submissions = new GroupCommit<>("charon-submissions", SUBMISSION_BATCH,
                batch -> RolledBackByConflict.retrying("a group commit of submissions",
                        () -> commits.write(ClaimsAlongWrites.Writer.SUBMISSIONS, 0, () -> store(batch))));
    }

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
        return submitValidated(validator.validate(submission), actor, idempotencyKey, "created by " + actor.userId(),
                AuditActions.JOB_SUBMIT, null);
    }

    /**
     * As {@link #submit(JobSubmission, Actor, String)}, for a spec that {@link SubmissionValidator}
     * made already (a template launch validates the submission it merges, to report its errors
     * with those of the parameters).
     *
     * @param note the message of the job's {@code job.created} event
     */
    public Submitted submitValidated(JobSpec spec, Actor actor, String idempotencyKey, String note,
                                     String auditAction, String auditDetail) {
        return submissions.write(new NewJob(spec, actor, note, idempotency(spec, idempotencyKey), auditAction,
                auditDetail));
    }

    /**
     * As {@link #submitValidated}, but in the caller's transaction, for a caller that records
     * something else with the job, atomically (a schedule's firing of a slot). The caller
     * retries its transaction when it is rolled back by a conflict.
     *
     * @throws InvalidInputException the spec names an inventory or credential the actor may not use
     * @throws IdempotencyConflictException the key was used for a different request
     */
    public Submitted submitInTransaction(JobSpec spec, Actor actor, String idempotencyKey, String note,
                                         String auditAction, String auditDetail) {
        GroupCommit.Result<Submitted> stored = store(List.of(new NewJob(spec, actor, note,
                idempotency(spec, idempotencyKey), auditAction, auditDetail))).get(0);
        if (stored.error() != null) {
            throw stored.error();
        }
        return stored.value();
    }

    private Idempotency idempotency(JobSpec spec, String idempotencyKey) {
        return idempotencyKey == null ? null : new Idempotency(idempotencyKey, fingerprint.of(spec));
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
    void stopGroupCommit() {
        submissions.close();
    }

    /**
     * A new job from the spec of a finished one, for {@code actor}; its schedule is not repeated,
     * and a stored inventory and credentials it names are resolved again, with the actor's rights
     * of today: the hosts its limit selects now, from the inventory's current version. A job
     * launched from a template is run again as that template version made it.
     */
    public Job relaunch(String id, Actor actor) {
        return RolledBackByConflict.retrying("a relaunch", () -> QuarkusTransaction.requiringNew().call(() -> {
            Job original = queries.stored(id);
            if (!original.getStatus().isTerminal()) {
                throw new JobConflictException("job " + id + " is " + original.getStatus().wireName()
                        + "; only a finished job can be relaunched");
            }
            return submitInTransaction(original.spec().withoutSchedule().unresolved(), actor,
                    null, "relaunch of " + id + " by " + actor.userId(), AuditActions.JOB_RELAUNCH, "relaunch of " + id)
                    .job();
        }));
    }

    /**
     * Stores new jobs in the caller's transaction, each with its tags, dependency links and first
     * events. Built to serve a whole group commit: the job rows go in one flush (JDBC-batched),
     * the link rows in one batch per table, and each job's events are recorded before its row is
     * written, so the row goes in once with its final event counter instead of being updated.
     * A job whose dependencies are missing is refused alone, before anything of it is written.
     * A submission whose idempotency key is already stored (or earlier in the batch) gets that
     * key's job instead, or a conflict when its request differs; so does one whose key another
     * transaction (another replica) stores first, before this one commits.
     * <p>
     * The jobs depended on are locked against change first, all in one go and in id order: a
     * parent cannot end until its new dependents are committed, where its failure cascade finds
     * them; a parent that ended before fails its new dependent at once.
     */
    private List<GroupCommit.Result<Submitted>> store(List<NewJob> submissions) {
        Set<String> parents = new TreeSet<>();
        submissions.forEach(submission -> parents.addAll(submission.spec().dependsOn()));
        rowLocks.lockJobsAgainstChange(store.session(), parents);
        Instant now = events.now();
        List<GroupCommit.Result<Submitted>> results = new ArrayList<>(submissions.size());
        List<Job> created = new ArrayList<>(submissions.size());
        List<JobEvent> firstEvents = new ArrayList<>(submissions.size() * 2);
        Map<List<String>, KeyedJob> keys = new HashMap<>();
        List<AuditEntry> audited = new ArrayList<>(submissions.size());
        Map<String, List<Integer>> resultsOf = new HashMap<>(); // a new keyed job's creator and in-batch repeats
        for (NewJob submission : submissions) {
            JobSpec spec = submission.spec();
            Idempotency idempotency = submission.idempotency();
            List<String> key = idempotency == null ? null : List.of(submission.userId(), idempotency.key());
            if (key != null) {
                KeyedJob earlier = keys.containsKey(key) ? keys.get(key) : storedKey(key);
                if (earlier != null) {
                    if (earlier.isNew()) {
                        resultsOf.get(earlier.job().getId()).add(results.size());
                    }
                    results.add(earlier.requestHash().equals(idempotency.requestHash())
                            ? GroupCommit.Result.of(new Submitted(earlier.job(), false))
                            : GroupCommit.Result.failed(new IdempotencyConflictException(idempotency.key())));
                    continue;
                }
            }
            List<Job> dependencies;
            try {
                spec = hostReferences.resolve(spec, submission.actor());
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
                    .ifPresent(d -> firstEvents.add(job.failBecauseOf(d, now)));
            store.session().persist(job);
            created.add(job);
            audited.add(AuditEntry.success(submission.userId(), submission.auditAction(), job.getId(),
                    submission.auditDetail()));
            if (key != null) {
                keys.put(key, new KeyedJob(job, idempotency.requestHash(), true));
                resultsOf.put(job.getId(), new ArrayList<>(List.of(results.size())));
            }
            results.add(GroupCommit.Result.of(new Submitted(job, true)));
        }
        EntityManager em = store.session();
        em.flush(); // the rows below reference the job rows
        Set<List<String>> takenElsewhere = em.unwrap(Session.class).doReturningWork(connection ->
                SubmissionRows.insertKeys(connection, keys, now));
        for (List<String> key : takenElsewhere) {
            // another transaction stored the key first and has committed: this is a repeat of its request
            Job mine = keys.get(key).job();
            KeyedJob stored = storedKey(key);
            for (int i : resultsOf.get(mine.getId())) {
                Idempotency asked = submissions.get(i).idempotency();
                results.set(i, stored.requestHash().equals(asked.requestHash())
                        ? GroupCommit.Result.of(new Submitted(stored.job(), false))
                        : GroupCommit.Result.failed(new IdempotencyConflictException(asked.key())));
            }
            created.remove(mine);
            firstEvents.removeIf(event -> event.getJobId().equals(mine.getId()));
            audited.removeIf(entry -> mine.getId().equals(entry.target()));
            em.remove(mine);
        }
        if (!takenElsewhere.isEmpty()) {
            em.flush(); // gone before anything below, or the claims made along, reads the jobs
        }
        em.unwrap(Session.class).doWork(connection -> {
            // tags carry the job's creation time, so that listing by tag can walk their index in page order
            SubmissionRows.insertLinks(connection, "INSERT INTO job_tags (tag, job_id, created_at) VALUES (?, ?, ?)", created,
                    Job::getTags, true);
            SubmissionRows.insertLinks(connection, "INSERT INTO job_dependencies (depends_on_id, job_id) VALUES (?, ?)", created,
                    Job::getDependsOn, false);
            SubmissionRows.insertLinks(connection, "INSERT INTO job_hosts (host, job_id) VALUES (?, ?)", created,
                    Job::lockedHosts, false);
        });
        audit.recordInTransaction(audited);
        firstEvents.forEach(events::save);
        return results;
    }

    /** A job stored under an idempotency key; {@code isNew} when this batch creates it. */
    record KeyedJob(Job job, String requestHash, boolean isNew) {
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

    /** The jobs named by {@code dependsOn}; one the actor may not see counts as missing. */
    private List<Job> loadDependencies(List<String> ids, Actor actor) {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Job> found = store.findAll(Job.class, ids).stream().filter(actor::maySee).toList();
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
}
