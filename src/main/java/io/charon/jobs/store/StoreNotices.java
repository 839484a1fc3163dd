package io.charon.jobs.store;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

/**
 * Tells every replica sharing the store what changed, as it commits, and turns what the others
 * committed into local {@link Notice} events. That is how a job submitted on one replica starts
 * on an idle one within milliseconds and how event streams on every replica learn of new events;
 * polling (the dispatch tick, the feed's poll interval) remains the fallback whenever notices do
 * not arrive. How they travel is the store's ({@link ReplicaNotices}); with one process there is
 * nothing to tell.
 */
@ApplicationScoped
public class StoreNotices {

    /** What a notice says: new events, a job to claim (or a schedule changed), a job cancelled. */
    public enum Kind { EVENTS, CLAIMABLE, CANCELLED }

    /** A change another replica (or this one) committed. {@code jobId} is set for {@link Kind#CANCELLED}. */
    public record Notice(Kind kind, String jobId) {
    }

    private final ReplicaNotices replicas;
    private final Event<Notice> local;

    public StoreNotices(ReplicaNotices replicas, Event<Notice> local) {
        this.replicas = replicas;
        this.local = local;
    }

    /** Sends {@code notice} with the current transaction's commit, once per transaction. */
    public void send(Notice notice) {
        replicas.send(notice);
    }

    void start(@Observes StartupEvent event) {
        replicas.listen(local::fire);
    }

    void stop(@Observes ShutdownEvent event) {
        replicas.stop();
    }
}
