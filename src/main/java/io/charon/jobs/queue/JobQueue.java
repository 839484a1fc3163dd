package io.charon.jobs.queue;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Blocker;
import io.charon.jobs.job.Job;
import io.charon.jobs.persistence.JsonColumns;
import io.charon.jobs.store.ClaimGuards;
import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.RowLocks;
import io.charon.jobs.store.RunSlots;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.persistence.EntityManager;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Claiming, promoting scheduled jobs and keeping leases. What the stores differ in (the tables
 * the selections read, how a claim locks what it takes, what it must guard against) comes from
 * the active store's {@link QueueSql}.
 */
@ApplicationScoped
public class JobQueue {

    /** Whether a due job is queued and (the store's part) a run slot is free. */
    static String worthClaiming(RunSlots slots) {
        return "SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'queued' AND NOT waiting_for_host"
                + " AND (start_after IS NULL OR start_after <= ?)) AND "
                + slots.anyFree();
    }

    /**
     * Due queued jobs whose dependencies have all completed and whose hosts no running job holds
     * in a way that excludes them, outside the {@code closedQueues} queues, in claim order
     * (priority first, then FIFO, as the partial index {@code ix_jobs_claim} reads), locked as
     * the store locks claims. The closed queues are parameters from {@code ?3} on. A job past its
     * start deadline is never taken, though not yet cancelled ({@link #lockPastStartDeadline}).
     */
    static String claimable(QueueSql sql, int closedQueues) {
        StringBuilder queues = new StringBuilder();
        for (int i = 0; i < closedQueues; i++) {
            queues.append(i == 0 ? "\n  AND j.queue NOT IN (" : ", ").append('?').append(i + 3);
        }
        if (closedQueues > 0) {
            queues.append(')');
        }
        return """
                SELECT j.* FROM %s
                WHERE j.status = 'queued' AND NOT j.waiting_for_host
                  AND (j.start_after IS NULL OR j.start_after <= ?1)
                  AND (j.start_deadline_at IS NULL OR j.start_deadline_at > ?1)%s
                  AND NOT EXISTS (SELECT 1 FROM job_dependencies d JOIN jobs p ON p.id = d.depends_on_id
                                  WHERE d.job_id = j.id AND p.status <> 'completed'%s)
                  AND NOT EXISTS (SELECT 1 FROM job_hosts mine JOIN host_locks held ON held.host = mine.host
                                  WHERE mine.job_id = j.id AND (j.host_lock = 'exclusive' OR held.exclusive)%s)
                ORDER BY j.priority DESC, j.created_at, j.id
                LIMIT ?2%s""".formatted(sql.claimFrom(), queues, sql.checkPerCandidate(),
                sql.checkPerCandidate(), sql.claimLocking());
    }

    /**
     * Scheduled jobs whose time has come, earliest first, as {@code ix_jobs_scheduled} reads,
     * locked as the store locks them from other promoters.
     */
    static String dueScheduled(QueueSql sql) {
        return """
                SELECT j.* FROM %s
                WHERE j.status = 'scheduled' AND j.scheduled_at <= ?1
                ORDER BY j.scheduled_at
                LIMIT ?2%s""".formatted(sql.scheduleFrom(), sql.scheduleLocking());
    }

    /**
     * Due queued jobs waiting for hosts that running jobs hold and not yet reported so, found from
     * the held hosts (few: those of the running jobs) rather than by walking the queue.
     */
    static final String BLOCKED_UNREPORTED = """
            SELECT DISTINCT mine.job_id FROM host_locks held
            JOIN job_hosts mine ON mine.host = held.host
            JOIN jobs j ON j.id = mine.job_id
            WHERE j.status = 'queued' AND j.blocked_at IS NULL
              AND (j.start_after IS NULL OR j.start_after <= ?)
              AND (j.host_lock = 'exclusive' OR held.exclusive)
            LIMIT ?""";

    /** The scheduled job due first, from the same index. */
    static String nextScheduled(QueueSql sql) {
        return "SELECT j.* FROM %s WHERE j.status = 'scheduled' ORDER BY j.scheduled_at LIMIT 1".formatted(sql.scheduleFrom());
    }

    /** How often, at most, queued jobs are looked for that wait for held hosts and were not yet reported. */
    private static final long BLOCKED_REPORT_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /**
     * Jobs that never started and whose start deadline has passed, earliest first, as the partial
     * index {@code ix_jobs_start_deadline} reads (it holds only the deadlines still pending),
     * locked as the store locks scheduled jobs from other promoters.
     */
    static String pastStartDeadline(QueueSql sql) {
        return """
                SELECT j.* FROM %s
                WHERE j.start_deadline_at <= ?1 AND j.status IN ('queued', 'scheduled')
                ORDER BY j.start_deadline_at
                LIMIT ?2%s""".formatted(sql.startDeadlineFrom(), sql.scheduleLocking());
    }

    /** The earliest start deadline still pending, from the same index. */
    static String nextStartDeadline(QueueSql sql) {
        return "SELECT j.* FROM %s WHERE j.start_deadline_at IS NOT NULL ORDER BY j.start_deadline_at LIMIT 1"
                .formatted(sql.startDeadlineFrom());
    }

    private final EventRecorder events;
    private final JobsConfig config;
    private final Store store;
    private final QueueSql sql;
    private final RunSlots slots;
    private final ClaimGuards guards;
    private final QueueSettings queueSettings;
    /** The claim's selection when no queue is closed, which is most of the time. */
    private final String claimable;
    private final String worthClaiming;
    /** When blocked jobs were last looked for (System.nanoTime); only the dispatcher thread touches it. */
    private long blockedLookedFor = System.nanoTime() - BLOCKED_REPORT_INTERVAL_NANOS;
    private final RowLocks rowLocks;
    private final Timer claimTime;
    private final String dueScheduled;
    private final String nextScheduled;
    private final String pastStartDeadline;
    private final String nextStartDeadline;

    public JobQueue(EventRecorder events, JobsConfig config, Store store, QueueSql sql, RunSlots slots,
                    ClaimGuards guards, QueueSettings queueSettings, RowLocks rowLocks, MeterRegistry metrics) {
        this.events = events;
        this.config = config;
        this.store = store;
        this.sql = sql;
        this.slots = slots;
        this.guards = guards;
        this.queueSettings = queueSettings;
        this.claimable = claimable(sql, 0);
        this.rowLocks = rowLocks;
        this.claimTime = Timer.builder("charon.jobs.claim")
                .description("Time a claim took in its transaction: selecting due jobs, admitting them to their hosts"
                        + " and queues, and starting them")
                .register(metrics);
        this.worthClaiming = sql.sharedByReplicas() ? worthClaiming(slots) : null;
        this.dueScheduled = dueScheduled(sql);
        this.nextScheduled = nextScheduled(sql);
        this.pastStartDeadline = pastStartDeadline(sql);
        this.nextStartDeadline = nextStartDeadline(sql);
    }

    /** Claims up to {@code max} jobs for {@code owner}, marking them running with a fresh lease. */
    public List<ClaimedJob> claim(int max, String owner) {
        if (sql.sharedByReplicas() && !worthClaiming()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> claimInTransaction(max, owner));
    }

    /**
     * Makes the run slots of the cluster-wide cap exist, up to this instance's
     * {@code max-concurrent-jobs}, where replicas share the store, and reads the queues'
     * settings; before the first claim.
     */
    public void provideRunSlots() {
        queueSettings.refresh();
        if (sql.sharedByReplicas()) {
            QuarkusTransaction.requiringNew().run(() -> slots.provide(store.session(), config.maxConcurrentJobs()));
        }
    }

    /** Whether {@link #claimInCurrentTransaction} may be used (see {@link QueueSql#claimsAlongOtherWrites}). */
    public boolean claimsAlongOtherWrites() {
        return sql.claimsAlongOtherWrites();
    }

    /** Claims up to {@code max} jobs in the caller's write transaction, after its writes, where the store allows it. */
    public List<ClaimedJob> claimInCurrentTransaction(int max, String owner) {
        if (!claimsAlongOtherWrites()) {
            throw new IllegalStateException("on this store claims run in transactions of their own");
        }
        return claimInTransaction(max, owner);
    }

    private List<ClaimedJob> claimInTransaction(int max, String owner) {
        long began = System.nanoTime();
        try {
            return claimTimed(max, owner);
        } finally {
            claimTime.record(System.nanoTime() - began, TimeUnit.NANOSECONDS);
        }
    }

    private List<ClaimedJob> claimTimed(int max, String owner) {
        EntityManager session = store.session();
        // the transaction's own writes first: outcomes recorded along free their slots (PostgreSQL's
        // trigger) and their dependents, which the selections below must see
        session.flush();
        // before the slots are taken: their row locks give the transaction its id, by which its
        // events are ordered against other transactions' (PostgreSQL), so that id is taken as
        // late as it was before the planner settings grew to three statements
        pinIndexWalk(session);
        // where replicas share the store, one slot under the cluster-wide cap per job started
        List<Integer> taken = sql.sharedByReplicas() ? slots.take(session, config.maxConcurrentJobs(), max) : null;
        int allowed = taken == null ? max : taken.size();
        if (allowed <= 0) {
            return List.of();
        }
        Path logs = config.dataDir().resolve("logs");
        Admission admission = Admission.open(session, guards, queueSettings.restricted());
        List<Job> started = new ArrayList<>();
        while (started.size() < allowed) {
            List<String> closed = admission.closedQueues();
            String selection = closed.isEmpty() ? claimable : claimable(sql, closed.size());
            List<Job> selected = select(selection, events.now(), allowed - started.size(), closed);
            List<Job> admitted = admission.admit(selected);
            // the start time is read once the selection has its rows (SQLite: once the transaction
            // holds the write lock, which may have been a wait): startedAt and job.started tell the truth
            Instant now = events.now();
            Instant leaseUntil = now.plus(config.leaseDuration());
            for (Job job : admitted) {
                events.save(job.start(owner, leaseUntil, logs, now));
            }
            admission.lock(admitted);
            started.addAll(admitted);
            if (admitted.isEmpty() || admitted.size() == selected.size()) {
                break;
            }
            // some were passed over for a host or a queue another job of this claim took: select
            // again, past them now that the locks and starts of this claim are written and the
            // queues it filled closed
            session.flush();
        }
        if (taken != null && !started.isEmpty()) {
            slots.seat(session, taken.subList(0, started.size()), started.stream().map(Job::getId).toList());
        }
        return started.stream().map(ClaimedJob::of).toList();
    }

    /**
     * Whether a claim could find anything, read without a transaction: a due queued job and a
     * free slot. Every replica's dispatcher wakes at every other replica's notice; most would
     * open a claim transaction just to find the queue empty or the cap reached.
     */
    private boolean worthClaiming() {
        boolean[] worth = {false};
        try {
            StoreReads.forEachRow(store.dataSource(), worthClaiming,
                    List.of(Timestamp.from(events.now()), config.maxConcurrentJobs()), row -> worth[0] = row.getBoolean(1));
        } catch (SQLException e) {
            return true; // let the claim itself find out, and report, what is wrong
        }
        return worth[0];
    }

    /**
     * Reports, once each, queued jobs that wait for hosts running jobs hold ({@code job.blocked},
     * naming who holds what); up to {@code max} of them. Returns how many were reported.
     */
    public int reportBlocked(int max) {
        // a dispatcher with idle workers asks at every pass, which may be many a second
        if (System.nanoTime() - blockedLookedFor < BLOCKED_REPORT_INTERVAL_NANOS) {
            return 0;
        }
        blockedLookedFor = System.nanoTime();
        List<String> ids = new ArrayList<>();
        try {
            StoreReads.forEachRow(store.dataSource(), BLOCKED_UNREPORTED, List.of(Timestamp.from(events.now()), max),
                    row -> ids.add(row.getString(1)));
        } catch (SQLException e) {
            return 0; // a report to make at a later pass, when the store answers again
        }
        if (ids.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager session = store.session();
            int reported = 0;
            // rows a claim holds are left for a later pass: the claim may be starting them
            @SuppressWarnings("unchecked")
            List<Job> jobs = session.createNativeQuery("SELECT j.* FROM jobs j WHERE j.id IN (?1) ORDER BY j.id"
                    + rowLocks.forChangeOfJSkippingLocked(), Job.class).setParameter(1, ids).getResultList();
            for (Job job : jobs) {
                List<Blocker> blockers = HostHolders.blockers(session, job);
                List<String> hosts = blockers.stream().flatMap(blocker -> blocker.hosts().stream()).distinct().sorted()
                        .toList();
                var event = job.reportBlocked(blockers, JsonColumns.write(Map.of("hosts", hosts)), events.now());
                if (event.isPresent()) {
                    events.save(event.get());
                    reported++;
                }
            }
            return reported;
        });
    }

    /** Moves scheduled jobs whose time has come into the queue; returns how many. */
    public int promoteDueScheduled(int max) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = events.now();
            List<Job> due = loadWalkingIndex(dueScheduled, now, max, List.of());
            due.forEach(job -> events.save(job.promote(now)));
            return due.size();
        });
    }

    /** When the next scheduled job falls due, if any is waiting. */
    @ActivateRequestContext
    @SuppressWarnings("unchecked")
    public Optional<Instant> nextScheduledTime() {
        List<Job> next = store.session().createNativeQuery(nextScheduled, Job.class).getResultList();
        return next.stream().findFirst().map(Job::getScheduledAt);
    }

    /**
     * Up to {@code max} jobs that never started and whose start deadline passed by {@code now},
     * locked against other replicas, in the caller's write transaction, which ends them.
     */
    public List<Job> lockPastStartDeadline(Instant now, int max) {
        return loadWalkingIndex(pastStartDeadline, now, max, List.of());
    }

    /** The earliest start deadline of a job that has not started yet, if any; read without a transaction. */
    @ActivateRequestContext
    @SuppressWarnings("unchecked")
    public Optional<Instant> earliestStartDeadline() {
        List<Job> next = store.session().createNativeQuery(nextStartDeadline, Job.class).getResultList();
        return next.stream().findFirst().map(Job::getStartDeadlineAt);
    }

    /** A run as the store knows it: the job, the claim token of that run and its owner. */
    public record Run(String jobId, long token, String owner) {
    }

    /**
     * Running jobs whose lease has run out, plus, when {@code owner} is given, every job it holds
     * (an instance's own runs, looked for at its start-up before it claims anything).
     */
    @ActivateRequestContext
    @SuppressWarnings("unchecked")
    public List<Run> orphans(String owner, int max) {
        List<Object[]> rows = store.session().createNativeQuery("""
                        SELECT j.id, j.lease_token, j.lease_owner FROM jobs j
                        WHERE j.status = 'running' AND (j.lease_expires_at < ?1 OR j.lease_owner = ?2)
                        LIMIT ?3""")
                .setParameter(1, events.now()).setParameter(2, owner == null ? "" : owner).setParameter(3, max)
                .getResultList();
        return rows.stream().map(r -> new Run((String) r[0], ((Number) r[1]).longValue(), (String) r[2])).toList();
    }

    /**
     * Gives back the host locks of jobs that no longer run and whose run can no longer be at work:
     * a cancelled run whose lease has lapsed (its owner died before its processes were gone), or,
     * when {@code owner} is given (at its start-up, once its previous life's processes are
     * stopped), one of its own; and locks of jobs deleted meanwhile. Returns how many locks.
     */
    public int releaseStrayLocks(String owner) {
        return QuarkusTransaction.requiringNew().call(() -> store.session().createNativeQuery("""
                        DELETE FROM host_locks WHERE NOT EXISTS (
                            SELECT 1 FROM jobs j WHERE j.id = host_locks.job_id
                              AND (j.status = 'running' OR (j.lease_expires_at >= ?1 AND j.lease_owner <> ?2)))""")
                .setParameter(1, events.now()).setParameter(2, owner == null ? "" : owner).executeUpdate());
    }

    /**
     * Extends the leases of the runs {@code owner} has under way.
     *
     * @return the runs among them that the store no longer gives to {@code owner}: cancelled,
     * rescued or claimed elsewhere, so their processes must stop
     */
    @SuppressWarnings("unchecked")
    public Set<String> renewLeases(String owner, Map<String, Long> tokensByJob) {
        if (tokensByJob.isEmpty()) {
            return Set.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = store.session();
            em.createNativeQuery("""
                            UPDATE jobs SET lease_expires_at = ?1
                            WHERE status = 'running' AND lease_owner = ?2 AND id IN (?3)""")
                    .setParameter(1, events.now().plus(config.leaseDuration()))
                    .setParameter(2, owner)
                    .setParameter(3, tokensByJob.keySet())
                    .executeUpdate();
            List<Object[]> held = em.createNativeQuery("""
                            SELECT id, lease_token FROM jobs
                            WHERE status = 'running' AND lease_owner = ?1 AND id IN (?2)""")
                    .setParameter(1, owner).setParameter(2, tokensByJob.keySet()).getResultList();
            Set<String> lost = new HashSet<>(tokensByJob.keySet());
            held.stream().filter(row -> tokensByJob.get((String) row[0]) == ((Number) row[1]).longValue())
                    .forEach(row -> lost.remove((String) row[0]));
            return lost;
        });
    }

    /** The jobs {@code query} selects, in its order, in one statement that walks its index; {@code more} bound from ?3 on. */
    @SuppressWarnings("unchecked")
    private List<Job> loadWalkingIndex(String query, Instant now, int max, List<String> more) {
        pinIndexWalk(store.session());
        return select(query, now, max, more);
    }

    private void pinIndexWalk(EntityManager session) {
        sql.pinIndexWalk().forEach(statement -> session.createNativeQuery(statement).executeUpdate());
    }

    /** As {@link #loadWalkingIndex}, in a transaction whose planner settings are pinned already. */
    @SuppressWarnings("unchecked")
    private List<Job> select(String query, Instant now, int max, List<String> more) {
        EntityManager session = store.session();
        var selection = session.createNativeQuery(query, Job.class).setParameter(1, now).setParameter(2, max);
        for (int i = 0; i < more.size(); i++) {
            selection.setParameter(i + 3, more.get(i));
        }
        return selection.getResultList();
    }
}
