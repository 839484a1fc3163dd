package io.charon.jobs.events;

import io.charon.jobs.job.RecordedEvent;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets callers wait for a job to reach a final status without polling the store: completed
 * after the commit of the job's terminal event. Register before reading the job's status, so
 * that a commit in between is not missed.
 */
@ApplicationScoped
public class JobCompletionWaiters {

    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    /** Completes when the job has ended, or at once when the service is stopping. */
    public CompletableFuture<Void> register(String jobId) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        waiters.computeIfAbsent(jobId, id -> ConcurrentHashMap.newKeySet()).add(done);
        if (stopping) {
            done.complete(null);
        }
        return done;
    }

    public void unregister(String jobId, CompletableFuture<Void> done) {
        waiters.computeIfPresent(jobId, (id, set) -> {
            set.remove(done);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * At the start of the shutdown every wait ends, answered with the job's state as it is, as at
     * its timeout: a wait held open would hold up the HTTP layer's shutdown.
     */
    void onShutdownBegins(@Observes ShutdownDelayInitiatedEvent event) {
        stopping = true;
        waiters.values().forEach(set -> set.forEach(done -> done.complete(null)));
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RecordedEvent event) {
        if (event.isTerminal()) {
            Set<CompletableFuture<Void>> done = waiters.remove(event.jobId());
            if (done != null) {
                done.forEach(future -> future.complete(null));
            }
        }
    }
}
