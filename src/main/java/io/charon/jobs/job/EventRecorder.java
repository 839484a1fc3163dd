package io.charon.jobs.job;

import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreNotices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stores events inside the caller's transaction and hands them to observers after the commit.
 * The one way an event is written, whoever changes the job (service, queue, rescuer).
 */
@ApplicationScoped
public class EventRecorder {

    private final Clock clock;
    private final Event<RecordedEvent> recorded;
    private final Store store;
    private final StoreNotices notices;

    public EventRecorder(Clock clock, Event<RecordedEvent> recorded, Store store, StoreNotices notices) {
        this.store = store;
        this.notices = notices;
        this.clock = clock;
        this.recorded = recorded;
    }

    public void save(JobEvent event) {
        store.session().persist(event);
        RecordedEvent committed = RecordedEvent.of(event);
        announceToOtherReplicas(committed);
        recorded.fire(committed);
    }

    /** On PostgreSQL, what the other replicas' dispatchers and event feeds must hear of. */
    private void announceToOtherReplicas(RecordedEvent event) {
        notices.send(new StoreNotices.Notice(StoreNotices.Kind.EVENTS, null));
        if (JobEventType.CANCELLED.wireName().equals(event.type())) {
            notices.send(new StoreNotices.Notice(StoreNotices.Kind.CANCELLED, event.jobId()));
        }
        if (event.madeClaimable() || event.isTerminal() || JobEventType.SCHEDULED.wireName().equals(event.type())) {
            notices.send(new StoreNotices.Notice(StoreNotices.Kind.CLAIMABLE, null));
        }
    }

    /** The current time at the store's precision (milliseconds). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
