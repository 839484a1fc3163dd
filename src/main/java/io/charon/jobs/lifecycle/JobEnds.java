package io.charon.jobs.lifecycle;

import io.charon.jobs.job.Job;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import java.time.Instant;

/**
 * What follows a job's end, in the transaction that ends it: the jobs waiting on it fail if it did
 * not complete ({@link DependentFailures}), and every {@link JobEndObserver} hears of it.
 */
@ApplicationScoped
public class JobEnds {

    private final DependentFailures dependents;
    private final Instance<JobEndObserver> observers;

    public JobEnds(DependentFailures dependents, Instance<JobEndObserver> observers) {
        this.dependents = dependents;
        this.observers = observers;
    }

    /** Called by whoever ended {@code job} (or found it ended), in that transaction; nothing for a job not ended. */
    public void followUp(Job job, Instant now) {
        if (!job.getStatus().isTerminal()) {
            return;
        }
        dependents.failDependentsOf(job, now);
        for (JobEndObserver observer : observers) {
            observer.jobEnded(job, now);
        }
    }
}
