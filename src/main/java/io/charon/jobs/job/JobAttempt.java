package io.charon.jobs.job;

import io.charon.jobs.store.InsertsAtCommit;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

/** How one run of a job ended; written by {@link Job#endRun} when the run closes. */
@Entity
@Table(name = "job_attempts")
public class JobAttempt {

    /** Outcomes besides the terminal statuses. */
    public static final String ORPHANED = "orphaned";
    public static final String INTERRUPTED = "interrupted";

    /** Written as a batch at commit (see {@link InsertsAtCommit}), numbered by the store. */
    static final InsertsAtCommit.Insert<JobAttempt> INSERT = new InsertsAtCommit.Insert<>("""
            INSERT INTO job_attempts (job_id, number, owner, started_at, ended_at, outcome, exit_code, error_message,
                                      log_path)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""", (insert, attempt) -> {
        insert.setString(1, attempt.jobId);
        insert.setLong(2, attempt.number);
        insert.setString(3, attempt.owner);
        insert.setTimestamp(4, Timestamp.from(attempt.startedAt));
        insert.setTimestamp(5, Timestamp.from(attempt.endedAt));
        insert.setString(6, attempt.outcome);
        insert.setObject(7, attempt.exitCode, Types.INTEGER);
        insert.setString(8, attempt.errorMessage);
        insert.setString(9, attempt.logPath);
    });

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(columnDefinition = "integer") // SQLite: only INTEGER PRIMARY KEY is the rowid
    private Long id;

    @Column(name = "job_id", nullable = false)
    private String jobId;

    @Column(nullable = false)
    private long number;

    private String owner;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "ended_at", nullable = false)
    private Instant endedAt;

    @Column(nullable = false)
    private String outcome;

    @Column(name = "exit_code")
    private Integer exitCode;

    @Column(name = "error_message")
    private String errorMessage;

    @Column(name = "log_path")
    private String logPath;

    protected JobAttempt() {
    }

    JobAttempt(String jobId, long number, String owner, Instant startedAt, Instant endedAt, String outcome,
               Integer exitCode, String errorMessage, String logPath) {
        this.jobId = jobId;
        this.number = number;
        this.owner = owner;
        this.startedAt = startedAt;
        this.endedAt = endedAt;
        this.outcome = outcome;
        this.exitCode = exitCode;
        this.errorMessage = errorMessage;
        this.logPath = logPath;
    }

    public String getJobId() {
        return jobId;
    }

    public long getNumber() {
        return number;
    }

    public String getOwner() {
        return owner;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getEndedAt() {
        return endedAt;
    }

    public String getOutcome() {
        return outcome;
    }

    public Integer getExitCode() {
        return exitCode;
    }

    public String getErrorMessage() {
        return errorMessage;
    }

    public String getLogPath() {
        return logPath;
    }
}
