package io.charon.jobs.lifecycle;

import io.charon.jobs.commit.EventRecorder;
import io.charon.jobs.job.Job;
import io.charon.jobs.queue.JobQueue;
import io.charon.jobs.store.RolledBackByConflict;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;

/**
 * Ends the jobs that could not start by their start deadline: cancelled, with the reason in their
 * event, instead of starting late (the claim already passes them over). The jobs waiting on one
 * fail with it, as after any cancellation.
 */
@ApplicationScoped
public class StartDeadlines {

    private final JobQueue queue;
    private final EventRecorder events;
    private final JobEnds ends;

    public StartDeadlines(JobQueue queue, EventRecorder events, JobEnds ends) {
        this.queue = queue;
        this.events = events;
        this.ends = ends;
    }

    /**
     * Cancels up to {@code max} jobs whose start deadline has passed, earliest first, in one
     * transaction; returns how many. Jobs another replica's transaction holds are left to it.
     */
    public int cancelPastDeadline(int max) {
        return RolledBackByConflict.retrying("cancelling jobs past their start deadline",
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    Instant now = events.now();
                    List<Job> late = queue.lockPastStartDeadline(now, max);
                    for (Job job : late) {
                        events.save(job.missStartDeadline(now));
                        ends.followUp(job, now);
                    }
                    return late.size();
                }));
    }
}
