package io.charon.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Proves that seeded rows are what the service itself would have stored: a handful of seeded
 * jobs read back through {@code GET /api/v1/jobs/{id}} (every field), their events, and the
 * listing order. A seed the service misreads would make every figure on it worthless, so a
 * mismatch fails the scenario.
 */
final class SeedCheck {

    /** Fields of a seeded job that are bookkeeping for the seeder, not part of the job's JSON. */
    private static final Set<String> NOT_IN_VIEW = Set.of("events", "leaseToken");

    private SeedCheck() {
    }

    @SuppressWarnings("unchecked")
    static void verify(ServiceClient client, StoreSeeder.Seeded seeded) {
        for (Map<String, Object> expected : seeded.samples()) {
            String id = (String) expected.get("id");
            Map<String, Object> actual = client.job(id);
            for (Map.Entry<String, Object> field : expected.entrySet()) {
                if (!NOT_IN_VIEW.contains(field.getKey())) {
                    compare(id, field.getKey(), field.getValue(), actual.get(field.getKey()));
                }
            }
            List<Object> events = (List<Object>) Json.parse(ServiceClient.expect(
                    client.get("/api/v1/jobs/" + id + "/events"), 200).body());
            List<Object[]> seededEvents = (List<Object[]>) expected.get("events");
            if (events.size() != seededEvents.size()) {
                throw mismatch(id, "events", seededEvents.size() + " events", events.size() + " events");
            }
            for (int i = 0; i < events.size(); i++) {
                Map<String, Object> event = (Map<String, Object>) events.get(i);
                compare(id, "events[" + i + "].type", seededEvents.get(i)[0], event.get("type"));
            }
        }
        firstOf(client, "/api/v1/jobs?limit=1", seeded.newestId(), "the newest job");
        firstOf(client, "/api/v1/jobs?status=completed&limit=1", seeded.newestCompletedId(), "the newest completed job");
        Map<String, Object> page = ServiceClient.expect(client.get("/api/v1/jobs?tag=" + seeded.tag() + "&limit=50"), 200).json();
        Instant previous = Instant.MAX;
        for (Map<String, Object> item : (List<Map<String, Object>>) page.get("items")) {
            if (!((List<String>) item.get("tags")).contains(seeded.tag())) {
                throw new ScenarioFailure("seed check: listing by tag " + seeded.tag() + " returned job " + item.get("id")
                        + " without it");
            }
            Instant created = Instant.parse((String) item.get("createdAt"));
            if (created.isAfter(previous)) {
                throw new ScenarioFailure("seed check: listing by tag is not newest first at job " + item.get("id"));
            }
            previous = created;
        }
    }

    @SuppressWarnings("unchecked")
    private static void firstOf(ServiceClient client, String url, String expectedId, String what) {
        List<Map<String, Object>> items = (List<Map<String, Object>>) ServiceClient.expect(client.get(url), 200)
                .json().get("items");
        String first = items.isEmpty() ? null : (String) items.get(0).get("id");
        if (!Objects.equals(first, expectedId)) {
            throw new ScenarioFailure("seed check: " + url + " should list " + what + " " + expectedId + " first, got " + first);
        }
    }

    private static void compare(String id, String field, Object expected, Object actual) {
        boolean same;
        if (field.equals("attempts")) {
            same = actual instanceof List<?> list && list.size() == ((Number) expected).longValue();
        } else if (field.equals("output") && expected == null) {
            same = "".equals(actual); // a job's full view shows a missing log tail as ""
        } else if (expected == null || actual == null) {
            same = expected == actual;
        } else if (expected instanceof Instant instant) {
            same = instant.equals(Instant.parse((String) actual));
        } else if (expected instanceof Duration duration) {
            same = duration.equals(Duration.parse((String) actual));
        } else if (expected instanceof Number number) {
            same = actual instanceof Number n && n.longValue() == number.longValue();
        } else {
            same = expected.equals(actual);
        }
        if (!same) {
            throw mismatch(id, field, expected, actual);
        }
    }

    private static ScenarioFailure mismatch(String id, String field, Object expected, Object actual) {
        return new ScenarioFailure("seed check: job " + id + " field " + field + ": seeded " + expected
                + " but the service shows " + actual);
    }
}
