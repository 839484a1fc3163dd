package io.charon.jobs.commit;

import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobEvent;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.RecordedEvent;
import io.charon.jobs.store.InsertsAtCommit;
import io.charon.jobs.store.StoreNotices;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Stores events inside the caller's transaction and hands them to observers after the commit.
 * The one way an event is written, whoever changes the job (service, queue, rescuer).
 *
 * <p>A transaction's events are written together just before it commits ({@link InsertsAtCommit});
 * the store numbers them then (the store-wide cursor).
 */
@ApplicationScoped
public class EventRecorder {

    private final Clock clock;
    private final Event<RecordedEvent> recorded;
    private final StoreNotices notices;
    private final InsertsAtCommit rows;

    public EventRecorder(Clock clock, Event<RecordedEvent> recorded, StoreNotices notices, InsertsAtCommit rows) {
        this.notices = notices;
        this.clock = clock;
        this.recorded = recorded;
        this.rows = rows;
    }

    public void save(JobEvent event) {
        rows.add(JobRows.EVENT, event);
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

    /** Stores the attempt record and the event of a run that closed, as {@link #save(JobEvent)} does. */
    public void save(Job.RunEnd end) {
        rows.add(JobRows.ATTEMPT, end.attempt());
        save(end.event());
    }

    /** The current time at the store's precision (milliseconds). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
