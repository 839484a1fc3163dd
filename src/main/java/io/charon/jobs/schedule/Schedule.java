package io.charon.jobs.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.persistence.JsonColumns;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A stored schedule: its settings, and where its firing stands: {@code nextSlot}, the earliest
 * slot not handled yet (null once none is left), and the last slot fired, skipped and missed.
 * Only the firer moves {@code nextSlot} forward, in the transaction that records what the slots
 * it passes came to.
 */
@Entity
@Table(name = "schedules")
public class Schedule {

    @Id
    String name;

    @Column(nullable = false)
    String template;

    @Convert(converter = ScheduleColumns.Parameters.class)
    @Column(nullable = false)
    Map<String, JsonNode> parameters;

    @Column(nullable = false)
    String cron;

    @Column(name = "time_zone", nullable = false)
    String timeZone;

    @Column(name = "start_at")
    Instant startAt;

    @Column(name = "end_at")
    Instant endAt;

    @Column(nullable = false)
    boolean enabled;

    @Convert(converter = ScheduleColumns.OverlapValue.class)
    @Column(nullable = false)
    Overlap overlap;

    @Convert(converter = ScheduleColumns.MisfireValue.class)
    @Column(nullable = false)
    Misfire misfire;

    @Convert(converter = JsonColumns.Millis.class)
    @Column(name = "start_deadline_ms", nullable = false)
    Duration startDeadline;

    @Column(name = "next_slot")
    Instant nextSlot;

    @Column(name = "last_fired_slot")
    Instant lastFiredSlot;

    @Column(name = "last_fired_job")
    String lastFiredJob;

    @Column(name = "last_skipped_slot")
    Instant lastSkippedSlot;

    @Column(name = "last_missed_slot")
    Instant lastMissedSlot;

    @Column(name = "missed_count", nullable = false)
    long missedCount;

    @Column(nullable = false)
    String owner;

    @Column(name = "created_at", nullable = false)
    Instant createdAt;

    @Column(name = "created_by", nullable = false)
    String createdBy;

    @Column(name = "updated_at", nullable = false)
    Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    String updatedBy;

    protected Schedule() {
    }

    /** A new schedule of {@code owner}, its first slot the first one after {@code now}. */
    Schedule(String name, ScheduleSettings settings, String owner, Instant now) {
        this.name = name;
        this.owner = owner;
        this.createdAt = now;
        this.createdBy = owner;
        set(settings, owner, now);
    }

    /**
     * Takes new settings; the slots start again after {@code now}: those the old settings named
     * and that did not come yet are not owed.
     */
    void set(ScheduleSettings settings, String by, Instant now) {
        this.template = settings.template();
        this.parameters = settings.parameters();
        this.cron = settings.cron();
        this.timeZone = settings.timeZone().getId();
        this.startAt = settings.startAt();
        this.endAt = settings.endAt();
        this.enabled = settings.enabled();
        this.overlap = settings.overlap();
        this.misfire = settings.misfire();
        this.startDeadline = settings.startDeadline();
        this.owner = by;
        this.updatedAt = now;
        this.updatedBy = by;
        this.nextSlot = settings.calendar().next(now).orElse(null);
    }

    /** The firer's record of a slot that fired {@code jobId}. */
    void fired(Instant slot, String jobId) {
        this.lastFiredSlot = slot;
        this.lastFiredJob = jobId;
    }

    /** The firer's record of a slot skipped while the previous job had not ended. */
    void skipped(Instant slot) {
        this.lastSkippedSlot = slot;
    }

    /** The firer's record of {@code count} slots that passed unhandled, the last of them {@code last}. */
    void missed(int count, Instant last) {
        this.missedCount += count;
        this.lastMissedSlot = last;
    }

    /** The firer's move past the slots it handled: {@code next} is the first one it did not, or null. */
    void moveTo(Instant next) {
        this.nextSlot = next;
    }

    SlotCalendar calendar() {
        return new SlotCalendar(cron, ZoneId.of(timeZone), startAt, endAt);
    }

    /**
     * The idempotency key of the job of {@code slot}: the schedule (by name and creation, so that
     * a schedule made again under the same name owes nothing to the old one) and the slot.
     */
    String idempotencyKey(Instant slot) {
        return "schedule:" + name + ":" + createdAt.toEpochMilli() + ":" + slot;
    }

    public String name() {
        return name;
    }

    public String template() {
        return template;
    }

    public Map<String, JsonNode> parameters() {
        return parameters;
    }

    public String cron() {
        return cron;
    }

    public String timeZone() {
        return timeZone;
    }

    public Instant startAt() {
        return startAt;
    }

    public Instant endAt() {
        return endAt;
    }

    public boolean enabled() {
        return enabled;
    }

    public Overlap overlap() {
        return overlap;
    }

    public Misfire misfire() {
        return misfire;
    }

    public Duration startDeadline() {
        return startDeadline;
    }

    public Instant nextSlot() {
        return nextSlot;
    }

    public Instant lastFiredSlot() {
        return lastFiredSlot;
    }

    public String lastFiredJob() {
        return lastFiredJob;
    }

    public Instant lastSkippedSlot() {
        return lastSkippedSlot;
    }

    /** The latest slot fired, skipped or missed, if any: slots up to it are handled. */
    public Instant lastHandledSlot() {
        return Stream.of(lastFiredSlot, lastSkippedSlot, lastMissedSlot).filter(Objects::nonNull).max(Instant::compareTo)
                .orElse(null);
    }

    public Instant lastMissedSlot() {
        return lastMissedSlot;
    }

    public long missedCount() {
        return missedCount;
    }

    public String owner() {
        return owner;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public String updatedBy() {
        return updatedBy;
    }
}
