package io.charon.jobs.schedule;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** A schedule's settings once checked: what a request may set. */
record ScheduleSettings(String template, Map<String, JsonNode> parameters, String cron, ZoneId timeZone,
                        Instant startAt, Instant endAt, boolean enabled, Overlap overlap, Misfire misfire,
                        Duration startDeadline) {

    SlotCalendar calendar() {
        return new SlotCalendar(cron, timeZone, startAt, endAt);
    }
}
