package io.charon.jobs.schedule;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;

/**
 * A schedule as a request gives it: the template it launches with which {@code parameters}, its
 * cron expression and {@code timeZone} (default UTC), the optional bounds {@code startAt} and
 * {@code endAt}, whether it is {@code enabled} (default true), its {@code overlap} (default
 * skip) and {@code misfire} (default run-once) policies, and the {@code startDeadline} within
 * which a missed slot may still run (default PT15M).
 */
public record ScheduleRequest(String name, String template, Map<String, JsonNode> parameters, String cron,
                              String timeZone, String startAt, String endAt, Boolean enabled, String overlap,
                              String misfire, String startDeadline) {
}
