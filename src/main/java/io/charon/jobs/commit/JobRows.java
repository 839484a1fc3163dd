package io.charon.jobs.commit;

import io.charon.jobs.job.JobAttempt;
import io.charon.jobs.job.JobEvent;
import io.charon.jobs.store.InsertsAtCommit;

import java.sql.Timestamp;
import java.sql.Types;

/**
 * The rows of a job's history that are written as a batch at commit ({@link InsertsAtCommit}) and
 * numbered by the store: its events and the attempt records of its closed runs.
 */
public final class JobRows {

    /** Written by {@link EventRecorder}. */
    public static final InsertsAtCommit.Insert<JobEvent> EVENT = new InsertsAtCommit.Insert<>("""
            INSERT INTO job_events (job_id, seq, type, status, message, data, created_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)""", (insert, event) -> {
        insert.setString(1, event.getJobId());
        insert.setLong(2, event.getSeq());
        insert.setString(3, event.getType());
        insert.setString(4, event.getStatus());
        insert.setString(5, event.getMessage());
        insert.setString(6, event.getData());
        insert.setTimestamp(7, Timestamp.from(event.getCreatedAt()));
    });

    public static final InsertsAtCommit.Insert<JobAttempt> ATTEMPT = new InsertsAtCommit.Insert<>("""
            INSERT INTO job_attempts (job_id, number, owner, started_at, ended_at, outcome, exit_code, error_message,
                                      log_path)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", (insert, attempt) -> {
        insert.setString(1, attempt.getJobId());
        insert.setLong(2, attempt.getNumber());
        insert.setString(3, attempt.getOwner());
        insert.setTimestamp(4, Timestamp.from(attempt.getStartedAt()));
        insert.setTimestamp(5, Timestamp.from(attempt.getEndedAt()));
        insert.setString(6, attempt.getOutcome());
        insert.setObject(7, attempt.getExitCode(), Types.INTEGER);
        insert.setString(8, attempt.getErrorMessage());
        insert.setString(9, attempt.getLogPath());
    });

    private JobRows() {
    }
}
