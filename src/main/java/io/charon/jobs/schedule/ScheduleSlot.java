package io.charon.jobs.schedule;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.time.Instant;

/**
 * A slot a schedule handled: fired, with its job, or skipped. Its key (schedule, slot) makes a
 * second handling of one slot fail, whatever replica tries it.
 */
@Entity
@Table(name = "schedule_slots")
public class ScheduleSlot {

    static final String FIRED = "fired";
    static final String SKIPPED = "skipped";

    /** A schedule's name and a slot's instant. */
    @Embeddable
    public record Key(@Column(nullable = false) String schedule, @Column(nullable = false) Instant slot)
            implements Serializable {
    }

    @EmbeddedId
    Key key;

    @Column(nullable = false)
    String outcome;

    @Column(name = "job_id")
    String jobId;

    @Column(name = "recorded_at", nullable = false)
    Instant recordedAt;

    protected ScheduleSlot() {
    }

    ScheduleSlot(String schedule, Instant slot, String outcome, String jobId, Instant recordedAt) {
        this.key = new Key(schedule, slot);
        this.outcome = outcome;
        this.jobId = jobId;
        this.recordedAt = recordedAt;
    }

    public Instant slot() {
        return key.slot();
    }

    public String outcome() {
        return outcome;
    }

    public String jobId() {
        return jobId;
    }
}
