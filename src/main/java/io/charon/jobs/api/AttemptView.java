package io.charon.jobs.api;

import io.charon.jobs.job.JobAttempt;

import java.time.Duration;
import java.time.Instant;

/** One closed run of a job. */
public record AttemptView(long number, String outcome, Instant startedAt, Instant endedAt, Duration duration,
                          Integer exitCode, String errorMessage, String owner, String logPath) {

    static AttemptView of(JobAttempt attempt) {
        return new AttemptView(attempt.getNumber(), attempt.getOutcome(), attempt.getStartedAt(), attempt.getEndedAt(),
                Duration.between(attempt.getStartedAt(), attempt.getEndedAt()), attempt.getExitCode(),
                attempt.getErrorMessage(), attempt.getOwner(), attempt.getLogPath());
    }
}
