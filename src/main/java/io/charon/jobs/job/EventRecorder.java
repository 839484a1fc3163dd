package io.charon.jobs.job;

import io.charon.jobs.store.Store;
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

    public EventRecorder(Clock clock, Event<RecordedEvent> recorded, Store store) {
        this.store = store;
        this.clock = clock;
        this.recorded = recorded;
    }

    public void save(JobEvent event) {
        store.session().persist(event);
        recorded.fire(RecordedEvent.of(event));
    }

    /** The current time at the store's precision (milliseconds). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
