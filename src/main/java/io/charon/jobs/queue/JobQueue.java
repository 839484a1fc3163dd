package io.charon.jobs.queue;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Job;
import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.persistence.EntityManager;

import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Claiming, promoting scheduled jobs and keeping leases. What the stores differ in (the tables
 * the selections read, how a claim locks what it takes, what it must guard against) comes from
 * the active store's {@link QueueSql}.
 */
@ApplicationScoped
public class JobQueue {

    static final String WORTH_CLAIMING = """
            SELECT EXISTS (SELECT 1 FROM jobs WHERE status = 'queued' AND (start_after IS NULL OR start_after <= ?)),
                   (SELECT COUNT(*) FROM jobs WHERE status = 'running')""";

    /**
     * Due queued jobs whose dependencies have all completed, in claim order (priority first, then
     * FIFO, as the partial index {@code ix_jobs_claim} reads), locked as the store locks claims.
     */
    static String claimable(QueueSql sql) {
        return """
                SELECT j.* FROM %s
                WHERE j.status = 'queued'
                  AND (j.start_after IS NULL OR j.start_after <= ?1)
                  AND NOT EXISTS (SELECT 1 FROM job_dependencies d JOIN jobs p ON p.id = d.depends_on_id
                                  WHERE d.job_id = j.id AND p.status <> 'completed')
                ORDER BY j.priority DESC, j.created_at, j.id
                LIMIT ?2%s""".formatted(sql.claimFrom(), sql.claimLocking());
    }

    /** Scheduled jobs whose time has come, earliest first, as {@code ix_jobs_scheduled} reads. */
    static String dueScheduled(QueueSql sql) {
        return """
                SELECT j.* FROM %s
                WHERE j.status = 'scheduled' AND j.scheduled_at <= ?1
                ORDER BY j.scheduled_at
                LIMIT ?2""".formatted(sql.scheduleFrom());
    }

    /** The scheduled job due first, from the same index. */
    static String nextScheduled(QueueSql sql) {
        return "SELECT j.* FROM %s WHERE j.status = 'scheduled' ORDER BY j.scheduled_at LIMIT 1".formatted(sql.scheduleFrom());
    }

    private final EventRecorder events;
    private final JobsConfig config;
    private final Store store;
    private final QueueSql sql;
    private final String claimable;
    private final String dueScheduled;
    private final String nextScheduled;

    public JobQueue(EventRecorder events, JobsConfig config, Store store, QueueSql sql) {
        this.events = events;
        this.config = config;
        this.store = store;
        this.sql = sql;
        this.claimable = claimable(sql);
        this.dueScheduled = dueScheduled(sql);
        this.nextScheduled = nextScheduled(sql);
    }

    /** Claims up to {@code max} jobs for {@code owner}, marking them running with a fresh lease. */
    public List<ClaimedJob> claim(int max, String owner) {
        if (sql.sharedByReplicas() && !worthClaiming()) {
            return List.of();
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            int allowed = sql.sharedByReplicas() ? Math.min(max, clusterSlots()) : max;
            return allowed <= 0 ? List.<ClaimedJob>of() : claimInTransaction(allowed, owner);
        });
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
        Path logs = config.dataDir().resolve("logs");
        List<Job> jobs = load(claimable, events.now(), max);
        // the start time is read once the first statement holds the write lock, which may
        // have been a wait behind other writers: startedAt and job.started tell the truth
        Instant now = events.now();
        Instant leaseUntil = now.plus(config.leaseDuration());
        return jobs.stream().map(job -> {
            events.save(job.start(owner, leaseUntil, logs, now));
            return ClaimedJob.of(job);
        }).toList();
    }

    /**
     * Whether a claim could find anything, read without a transaction. Every replica's
     * dispatcher wakes at every other replica's notice; a claim transaction would take the
     * cluster's writer lock just to find the queue empty or the cap reached.
     */
    private boolean worthClaiming() {
        boolean[] worth = {false};
        try {
            StoreReads.forEachRow(store.dataSource(), WORTH_CLAIMING, List.of(Timestamp.from(events.now())),
                    row -> worth[0] = row.getBoolean(1) && row.getLong(2) < config.maxConcurrentJobs());
        } catch (SQLException e) {
            return true; // let the claim itself find out, and report, what is wrong
        }
        return worth[0];
    }

    /** Jobs the cluster may still start under {@code max-concurrent-jobs}, counting every replica's runs. */
    private int clusterSlots() {
        long running = ((Number) store.session().createNativeQuery("SELECT COUNT(*) FROM jobs WHERE status = 'running'")
                .getSingleResult()).longValue();
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, config.maxConcurrentJobs() - running));
    }

    /** Moves scheduled jobs whose time has come into the queue; returns how many. */
    public int promoteDueScheduled(int max) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = events.now();
            List<Job> due = load(dueScheduled, now, max);
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

    /** The jobs {@code query} selects, in its order, in one statement. */
    private List<Job> load(String query, Instant now, int max) {
        return store.session().createNativeQuery(query, Job.class).setParameter(1, now).setParameter(2, max)
                .getResultList();
    }
}
