package io.charon.jobs.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/** How one run of a job ended; made by {@link Job} when the run closes, written by the commit package's {@code JobRows}. */
@Entity
@Table(name = "job_attempts")
public class JobAttempt {

    /** Outcomes besides the terminal statuses. */
    public static final String ORPHANED = "orphaned";
    public static final String INTERRUPTED = "interrupted";

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
