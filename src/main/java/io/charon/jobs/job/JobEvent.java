package io.charon.jobs.job;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;

/**
 * A stored lifecycle event. {@code id} orders all events of the store (a resumable cursor);
 * {@code seq} numbers one job's events 1, 2, 3...
 */
@Entity
@Table(name = "job_events")
public class JobEvent {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(columnDefinition = "integer") // SQLite: only INTEGER PRIMARY KEY is the rowid
    private Long id;

    @Column(name = "job_id", nullable = false)
    private String jobId;

    @Column(nullable = false)
    private long seq;

    @Column(nullable = false)
    private String type;

    @Column(nullable = false)
    private String status;

    private String message;

    /** JSON object text, or null. */
    private String data;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected JobEvent() {
    }

    JobEvent(String jobId, long seq, JobEventType type, JobStatus status, String message, String data, Instant createdAt) {
        this.jobId = jobId;
        this.seq = seq;
        this.type = type.wireName();
        this.status = status.wireName();
        this.message = message;
        this.data = data;
        this.createdAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getJobId() {
        return jobId;
    }

    public long getSeq() {
        return seq;
    }

    public String getType() {
        return type;
    }

    public String getStatus() {
        return status;
    }

    public String getMessage() {
        return message;
    }

    public String getData() {
        return data;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
