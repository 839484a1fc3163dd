package io.charon.jobs.job;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a job is in its life. The enum owns the transition table: every status change goes
 * through {@link #checkTransitionTo(JobStatus)}, so an illegal change fails loudly instead of
 * corrupting a job.
 */
public enum JobStatus {
    SCHEDULED,
    QUEUED,
    RUNNING,
    COMPLETED,
    FAILED,
    CANCELLED,
    TIMEOUT;

    public static final Set<JobStatus> TERMINAL = EnumSet.of(COMPLETED, FAILED, CANCELLED, TIMEOUT);

    /** The wire names of the statuses a job has not ended in: for {@code status IN (...)} queries. */
    public static final List<String> UNFINISHED_WIRE_NAMES = EnumSet.complementOf(EnumSet.copyOf(TERMINAL)).stream()
            .map(JobStatus::wireName).toList();

    /** Lower-case name used in JSON, SQL and query parameters. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<JobStatus> fromWireName(String value) {
        for (JobStatus status : values()) {
            if (status.wireName().equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    public boolean canTransitionTo(JobStatus next) {
        return switch (this) {
            case SCHEDULED -> next == QUEUED || next == CANCELLED || next == FAILED;
            // QUEUED -> FAILED: a dependency failed, so the job can never run.
            case QUEUED -> next == RUNNING || next == CANCELLED || next == FAILED;
            // RUNNING -> QUEUED: a retry, a rescued orphan, or a run handed back at shutdown.
            case RUNNING -> next == COMPLETED || next == FAILED || next == TIMEOUT
                    || next == CANCELLED || next == QUEUED;
            case COMPLETED, FAILED, CANCELLED, TIMEOUT -> false;
        };
    }

    public void checkTransitionTo(JobStatus next) {
        if (!canTransitionTo(next)) {
            throw new IllegalTransitionException(this, next);
        }
    }
}
