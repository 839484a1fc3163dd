package io.charon.jobs.lifecycle;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.store.RowLocks;
import io.charon.jobs.store.Store;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The cascade of a job that ended without completing: every job waiting on it fails with it, all
 * the way down the chain; they could never run. The caller holds the root's row lock, and each
 * dependent's row is locked as it is found: a submission of a new dependent (which locks its
 * parents against change) either committed before, and is found, or sees its parent ended. A
 * dependent that another transaction ended meanwhile is no longer waiting, and left alone.
 */
@ApplicationScoped
public class DependentFailures {

    private final Store store;
    private final EventRecorder events;
    private final String waitingOn;

    public DependentFailures(Store store, RowLocks rowLocks, EventRecorder events) {
        this.store = store;
        this.events = events;
        // in id order, as batches lock theirs
        this.waitingOn = "SELECT j.* FROM jobs j JOIN job_dependencies d ON d.job_id = j.id"
                + " WHERE d.depends_on_id = ?1 AND j.status IN ('queued', 'scheduled') ORDER BY j.id"
                + rowLocks.forChangeOfJ();
    }

    /** Fails, in the caller's transaction, the jobs waiting on {@code root} if it did not complete. */
    public void failDependentsOf(Job root, Instant now) {
        if (!root.getStatus().isTerminal() || root.getStatus() == JobStatus.COMPLETED) {
            return;
        }
        Deque<Job> ended = new ArrayDeque<>(List.of(root));
        while (!ended.isEmpty()) {
            Job parent = ended.pop();
            @SuppressWarnings("unchecked")
            List<Job> waiting = store.session().createNativeQuery(waitingOn, Job.class)
                    .setParameter(1, parent.getId())
                    .getResultList();
            for (Job dependent : waiting) {
                events.save(dependent.failBecauseOf(parent, now));
                ended.push(dependent);
            }
        }
    }
}
