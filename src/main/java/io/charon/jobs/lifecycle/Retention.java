package io.charon.jobs.lifecycle;

import io.charon.jobs.store.RolledBackByConflict;
import io.charon.jobs.store.RowLocks;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Deletes finished jobs past their retention, with everything stored of them. */
@ApplicationScoped
public class Retention {

    private final Store store;
    private final String expiredLocked;

    public Retention(Store store, RowLocks rowLocks) {
        this.store = store;
        // a job another transaction holds (a submission depending on it, say) waits for the next batch
        this.expiredLocked = EXPIRED + rowLocks.forChangeOfJSkippingLocked();
    }

    /**
     * Deletes up to {@code max} finished jobs that ended before {@code cutoff}, with their events,
     * attempts, tags and dependency links, but never one that a job still waiting or running
     * depends on. The jobs are locked as they are chosen; a dependent committed between the
     * choice and the lock (its submission held the job against change until then) is looked for
     * again once they are locked, after which none can be added.
     *
     * @return how many jobs went, and their log files for the caller to remove once this committed
     */
    @SuppressWarnings("unchecked")
    public Deleted deleteFinishedBefore(Instant cutoff, int max) {
        return RolledBackByConflict.retrying("a retention batch", () -> QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = store.session();
            List<String> ids = new ArrayList<>(em.createNativeQuery(expiredLocked)
                    .setParameter(1, cutoff).setParameter(2, max).getResultList());
            if (!ids.isEmpty()) {
                ids.removeAll(em.createNativeQuery(STILL_NEEDED).setParameter(1, ids).getResultList());
            }
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
        }));
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

    /** Those of the jobs ?1 that a waiting or running job depends on. */
    static final String STILL_NEEDED = """
            SELECT DISTINCT d.depends_on_id FROM job_dependencies d JOIN jobs c ON c.id = d.job_id
            WHERE d.depends_on_id IN (?1)
              AND c.status NOT IN ('completed', 'failed', 'cancelled', 'timeout')""";

    /** What a retention batch removed. */
    public record Deleted(int jobs, List<String> logFiles) {
    }
}
