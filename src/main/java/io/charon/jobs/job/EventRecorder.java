package io.charon.jobs.job;

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

    public EventRecorder(Clock clock, Event<RecordedEvent> recorded) {
        this.clock = clock;
        this.recorded = recorded;
    }

    public void save(JobEvent event) {
        event.persist();
        recorded.fire(RecordedEvent.of(event));
    }

    /** The current time at the store's precision (milliseconds). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
