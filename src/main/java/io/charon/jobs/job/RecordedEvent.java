package io.charon.jobs.job;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * A stored event as observers see it once its transaction has committed (CDI observers with
 * {@code during = AFTER_SUCCESS}): the dispatcher, waiters and the publishers. It carries no id:
 * the store assigns that as the transaction commits (see EventRecorder).
 */
public record RecordedEvent(String jobId, long seq, String type, String status, String message,
                            String data, Instant timestamp) {

    private static final Set<JobEventType> TERMINAL = EnumSet.of(
            JobEventType.COMPLETED, JobEventType.FAILED, JobEventType.CANCELLED, JobEventType.TIMEOUT);

    public static RecordedEvent of(JobEvent event) {
        return new RecordedEvent(event.getJobId(), event.getSeq(), event.getType(),
                event.getStatus(), event.getMessage(), event.getData(), event.getCreatedAt());
    }

    /** The job reached a final status with this event. */
    public boolean isTerminal() {
        return TERMINAL.stream().anyMatch(t -> t.wireName().equals(type));
    }

    /** The job (re)entered the queue with this event (a queued job found blocked did not). */
    public boolean madeClaimable() {
        return JobStatus.QUEUED.wireName().equals(status) && !JobEventType.CREATED.wireName().equals(type)
                && !JobEventType.BLOCKED.wireName().equals(type);
    }
}
