package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.schedule.Schedule;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A schedule as the API shows it: its settings, the next instants it fires at, and the last slot
 * it fired (with the job), skipped and missed.
 */
public record ScheduleView(
        String name,
        String template,
        Map<String, JsonNode> parameters,
        String cron,
        String timeZone,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant startAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant endAt,
        boolean enabled,
        @Schema(enumeration = {"skip", "queue", "cancel-previous"}) String overlap,
        @Schema(enumeration = {"run-once", "skip"}) String misfire,
        Duration startDeadline,
        @Schema(description = "the next five instants it fires at (fewer when its endAt comes first; none when disabled)")
        List<Instant> nextRuns,
        Instant lastFiredSlot,
        String lastFiredJob,
        Instant lastSkippedSlot,
        Instant lastMissedSlot,
        @Schema(description = "how many slots passed unhandled (outages) since it was created") long missedCount,
        @Schema(description = "whose jobs it launches: the admin who last set it") String owner,
        Instant createdAt,
        Instant updatedAt,
        String updatedBy) {

    static ScheduleView of(Schedule schedule, List<Instant> nextRuns) {
        return new ScheduleView(schedule.name(), schedule.template(), schedule.parameters(), schedule.cron(),
                schedule.timeZone(), schedule.startAt(), schedule.endAt(), schedule.enabled(),
                schedule.overlap().wireName(), schedule.misfire().wireName(), schedule.startDeadline(), nextRuns,
                schedule.lastFiredSlot(), schedule.lastFiredJob(), schedule.lastSkippedSlot(), schedule.lastMissedSlot(),
                schedule.missedCount(), schedule.owner(), schedule.createdAt(), schedule.updatedAt(), schedule.updatedBy());
    }
}
