package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** GET /api/v1/stats against a known set of real runs, one job in each status. */
@QuarkusTest
class StatsTest {

    private static final List<String> STATUSES = List.of("scheduled", "queued", "running", "completed", "failed",
            "cancelled", "timeout");

    private final Gate gate = new Gate();
    private final String tag = "stats-" + UUID.randomUUID();
    private final List<String> toCancel = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        gate.open();
        toCancel.forEach(id -> given().post("/api/v1/jobs/" + id + "/cancel"));
    }

    @Test
    void statisticsMatchTheJobsActuallyStored() {
        Instant began = Instant.now();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Api.submit(tagged(Api.job("ok-" + i, "hello.yml"), "ansible")));
        }
        ids.add(Api.submit(tagged(Api.job("ok-provisioning", "hello.yml"), "provisioning")));
        Map<String, Object> retried = tagged(Api.job("fails-twice", "fail.yml"), "ansible");
        retried.put("maxRetries", 1);
        retried.put("retryDelay", "PT0S");
        ids.add(Api.submit(retried));
        ids.add(Api.submit(tagged(Api.job("fails-once", "fail.yml"), "provisioning")));
        Map<String, Object> slow = tagged(gate.job("times-out"), "ansible");
        slow.put("timeout", "PT2S");
        ids.add(Api.submit(slow));
        Map<String, Object> later = tagged(Api.job("later", "hello.yml"), "provisioning");
        later.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        String scheduled = Api.submit(later);
        Map<String, Object> dependent = tagged(Api.job("waits-for-later", "hello.yml"), "ansible");
        dependent.put("dependsOn", List.of(scheduled));
        String queued = Api.submit(dependent);
        String cancelled = Api.submit(tagged(new LinkedHashMap<>(later), "provisioning"));
        given().post("/api/v1/jobs/" + cancelled + "/cancel").then().statusCode(200);
        toCancel.addAll(List.of(scheduled, queued));
        ids.forEach(Api::awaitTerminal);
        String running = Api.submit(tagged(gate.job("still-running"), "ansible"));
        Api.awaitStatus(running, "running");
        ids.addAll(List.of(scheduled, queued, cancelled, running));

        List<JsonPath> jobs = ids.stream().map(Api::get).toList();
        JsonPath stats = stats("tag=" + tag);

        Map<String, Integer> expected = Map.of("scheduled", 1, "queued", 1, "running", 1, "completed", 4, "failed", 2,
                "cancelled", 1, "timeout", 1);
        assertThat(stats.getMap("byStatus")).isEqualTo(expected);
        assertThat(stats.getMap("byStatus").keySet()).containsExactlyElementsOf(STATUSES);
        assertThat(stats.getInt("total")).isEqualTo(11);
        assertThat(stats.getInt("finished")).isEqualTo(8);
        assertThat(stats.getDouble("successRate")).isEqualTo(0.5);
        assertThat(stats.getInt("retries")).isEqualTo(1);
        assertFigures(stats, "", jobs);
        for (String type : List.of("ansible", "provisioning")) {
            List<JsonPath> ofType = jobs.stream().filter(j -> type.equals(j.getString("type"))).toList();
            assertFigures(stats, "byType." + type + ".", ofType);
            assertFigures(stats("tag=" + tag + "&type=" + type), "", ofType);
        }
        assertThat(stats.getInt("byType.provisioning.total")).isEqualTo(4);
        assertThat(stats.getString("filter.tag")).isEqualTo(tag);

        // the same jobs through the other filters
        assertThat(stats("createdAfter=" + began).getMap("byStatus")).isEqualTo(expected);
        assertThat(stats("tag=" + tag + "&userId=" + jobs.get(0).getString("userId")).getInt("total")).isEqualTo(11);
        JsonPath first = jobs.get(0);
        Instant firstCreated = Instant.parse(first.getString("createdAt"));
        JsonPath one = stats("tag=" + tag + "&createdAfter=" + firstCreated + "&createdBefore=" + firstCreated.plusMillis(1));
        assertThat(one.getInt("total")).isEqualTo(1);
        assertThat(one.getInt("byStatus.completed")).isEqualTo(1);
        assertThat(one.getLong("durationMs.p50")).isEqualTo(millis(first));
        JsonPath windowAlone = stats("createdAfter=" + firstCreated + "&createdBefore=" + firstCreated.plusMillis(1));
        assertThat(windowAlone.getInt("total")).isEqualTo(1);
    }

    @Test
    void noMatchingJobsGiveZerosEverywhere() {
        JsonPath none = stats("userId=nobody-" + UUID.randomUUID());

        assertThat(none.getInt("total")).isZero();
        assertThat(none.getMap("byStatus")).hasSize(7).allSatisfy((status, count) -> assertThat(count).isEqualTo(0));
        assertThat(none.getString("successRate")).isNull();
        assertThat(none.getInt("durationMs.count")).isZero();
        assertThat(none.getString("durationMs.p95")).isNull();
        assertThat(none.getMap("byType").keySet()).containsExactly("ansible", "provisioning");
        assertThat(none.getInt("byType.ansible.byStatus.running")).isZero();
    }

    @Test
    void badFiltersAreRefusedNamingTheField() {
        for (String[] bad : new String[][]{{"createdAfter", "yesterday"}, {"createdBefore", "2030-13-01T00:00:00Z"},
                {"type", "shell"}}) {
            given().get("/api/v1/stats?" + bad[0] + "=" + bad[1]).then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", hasItem(bad[0]));
        }
        given().get("/api/v1/stats?createdAfter=2030-01-02T00:00:00Z&createdBefore=2030-01-01T00:00:00Z")
                .then().statusCode(400).body("errors[0].field", equalTo("createdBefore"));
    }

    /** Totals, counts, retries and durations under {@code prefix} match {@code jobs} as the API shows them. */
    private static void assertFigures(JsonPath stats, String prefix, List<JsonPath> jobs) {
        assertThat(stats.getInt(prefix + "total")).as(prefix + "total").isEqualTo(jobs.size());
        for (String status : STATUSES) {
            assertThat(stats.getInt(prefix + "byStatus." + status)).as(prefix + status)
                    .isEqualTo((int) jobs.stream().filter(j -> status.equals(j.getString("status"))).count());
        }
        assertThat(stats.getInt(prefix + "retries")).isEqualTo(jobs.stream().mapToInt(j -> j.getInt("retryCount")).sum());
        List<Long> durations = jobs.stream()
                .filter(j -> Api.TERMINAL.contains(j.getString("status")) && j.getString("duration") != null)
                .map(StatsTest::millis).sorted().toList();
        assertThat(stats.getInt(prefix + "durationMs.count")).as(prefix + "runs").isEqualTo(durations.size());
        assertThat(stats.getDouble(prefix + "durationMs.mean")).as(prefix + "mean")
                .isCloseTo(durations.stream().mapToLong(Long::longValue).average().orElseThrow(),
                        org.assertj.core.data.Offset.offset(0.01));
        assertThat(stats.getLong(prefix + "durationMs.p50")).as(prefix + "p50").isEqualTo(nearestRank(durations, 50));
        assertThat(stats.getLong(prefix + "durationMs.p95")).as(prefix + "p95").isEqualTo(nearestRank(durations, 95));
        long completed = jobs.stream().filter(j -> "completed".equals(j.getString("status"))).count();
        long finished = jobs.stream().filter(j -> Api.TERMINAL.contains(j.getString("status"))).count();
        assertThat(stats.getDouble(prefix + "successRate")).isCloseTo((double) completed / finished,
                org.assertj.core.data.Offset.offset(1e-6));
    }

    private static long nearestRank(List<Long> sorted, int percentile) {
        return sorted.get((int) Math.ceil(percentile / 100.0 * sorted.size()) - 1);
    }

    private static long millis(JsonPath job) {
        return Duration.parse(job.getString("duration")).toMillis();
    }

    private Map<String, Object> tagged(Map<String, Object> body, String type) {
        body.put("tags", List.of(tag));
        body.put("type", type);
        return body;
    }

    private static JsonPath stats(String query) {
        return given().get("/api/v1/stats?" + query).then().statusCode(200).extract().jsonPath();
    }
}
