package io.charon.jobs.lifecycle;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.store.Store;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The cascade of a job that ended without completing: every job waiting on it fails with it, all
 * the way down the chain; they could never run.
 */
@ApplicationScoped
public class DependentFailures {

    private final Store store;
    private final EventRecorder events;

    public DependentFailures(Store store, EventRecorder events) {
        this.store = store;
        this.events = events;
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
            List<Job> waiting = store.session().createNativeQuery(
                            "SELECT j.* FROM jobs j JOIN job_dependencies d ON d.job_id = j.id"
                                    + " WHERE d.depends_on_id = ?1 AND j.status IN ('queued', 'scheduled')", Job.class)
                    .setParameter(1, parent.getId())
                    .getResultList();
            for (Job dependent : waiting) {
                events.save(dependent.failBecauseOf(parent, now));
                ended.push(dependent);
            }
        }
    }
}
