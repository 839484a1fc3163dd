package io.charon.jobs.queue;

import io.charon.jobs.store.QueueSql;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Sets aside the queued jobs that wait for a host a long run holds. A claim walks the queue in
 * claim order and checks each job's hosts; jobs waiting behind a run of minutes would stay at the
 * head of the queue and be checked again by every claim, so that claims grew slower with every
 * job waiting. A job set aside leaves the claim index ({@code jobs.waiting_for_host}) and is
 * recorded against the lock it waits for ({@code host_waits}); giving that lock back, whichever
 * transaction does it, brings the job back into the walk (a trigger of the store's schema).
 * Only the waiters of runs that have held their hosts for a while are set aside: a short run
 * gives its hosts back before setting its waiters aside would pay.
 */
@ApplicationScoped
public class HostWaits {

    /** Set aside in one statement at most: the parameters of a multi-row insert stay few. */
    static final int STATEMENT_BATCH = 250;

    /**
     * Queued jobs not yet set aside that a lock of a run started by {@code ?1} excludes, with
     * the host they wait for, from the locks of every such run or, with {@code someHolders},
     * of the runs listed in {@code ?3}; the lock rows read kept as the store keeps them. Written
     * as cross joins walked in the order written ({@link QueueSql#keepJoinOrder}): from the few
     * held locks, looking the rest up by key (without statistics, planners started from every
     * queued job).
     */
    static String waiting(QueueSql sql, boolean someHolders) {
        return """
                SELECT held.host, w.id
                FROM host_locks held CROSS JOIN jobs holder CROSS JOIN job_hosts mine CROSS JOIN jobs w
                WHERE holder.id = held.job_id AND holder.started_at <= ?1%s
                  AND mine.host = held.host AND w.id = mine.job_id
                  AND w.status = 'queued' AND NOT w.waiting_for_host
                  AND (w.host_lock = 'exclusive' OR held.exclusive)
                LIMIT ?2%s""".formatted(someHolders ? " AND held.job_id IN (?3)" : "", sql.heldLocksKept());
    }

    /** The runs started by {@code ?1} that hold locks, in the same order of joins. */
    static final String LONG_HOLDERS = """
            SELECT DISTINCT held.job_id FROM host_locks held CROSS JOIN jobs holder
            WHERE holder.id = held.job_id AND holder.started_at <= ?1""";

    private final Store store;
    private final QueueSql sql;
    private final String waitingForAny;
    private final String waitingForSome;

    public HostWaits(Store store, QueueSql sql) {
        this.store = store;
        this.sql = sql;
        this.waitingForAny = waiting(sql, false);
        this.waitingForSome = waiting(sql, true);
    }

    /** The runs started by {@code heldSince} that hold host locks. */
    @SuppressWarnings("unchecked")
    public Set<String> longHolders(Instant heldSince) {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager session = keepingJoinOrder();
            return Set.copyOf(session.createNativeQuery(LONG_HOLDERS).setParameter(1, heldSince).getResultList());
        });
    }

    /**
     * Sets aside up to {@code max} queued jobs that wait for hosts held by runs started by
     * {@code heldSince}: those of every such run, or only of {@code holders} when given; returns
     * how many waits it recorded (a job may wait for several hosts).
     */
    @SuppressWarnings("unchecked")
    public int setAside(Instant heldSince, Collection<String> holders, int max) {
        if (holders != null && holders.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager session = keepingJoinOrder();
            var selection = session.createNativeQuery(holders == null ? waitingForAny : waitingForSome)
                    .setParameter(1, heldSince).setParameter(2, max);
            if (holders != null) {
                selection.setParameter(3, holders);
            }
            List<Object[]> waits = selection.getResultList();
            for (int from = 0; from < waits.size(); from += STATEMENT_BATCH) {
                record(session, waits.subList(from, Math.min(waits.size(), from + STATEMENT_BATCH)));
            }
            return waits.size();
        });
    }

    /** The session, its transaction's selections joining in the order written from here on. */
    private EntityManager keepingJoinOrder() {
        EntityManager session = store.session();
        // the joins start from the few held locks and look the rest up by key, with or without statistics
        Stream.concat(sql.pinIndexWalk().stream(), sql.keepJoinOrder().stream())
                .forEach(statement -> session.createNativeQuery(statement).executeUpdate());
        return session;
    }

    private static void record(EntityManager session, List<Object[]> waits) {
        var insert = session.createNativeQuery("INSERT INTO host_waits (host, job_id) VALUES "
                + String.join(", ", Collections.nCopies(waits.size(), "(?, ?)")) + " ON CONFLICT DO NOTHING");
        List<String> jobs = new ArrayList<>();
        int parameter = 1;
        for (Object[] wait : waits) {
            insert.setParameter(parameter++, wait[0]).setParameter(parameter++, wait[1]);
            jobs.add((String) wait[1]);
        }
        insert.executeUpdate();
        session.createNativeQuery("UPDATE jobs SET waiting_for_host = TRUE WHERE status = 'queued' AND id IN (?1)")
                .setParameter(1, jobs).executeUpdate();
    }
}
