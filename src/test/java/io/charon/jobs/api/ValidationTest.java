package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.StoreRows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** Bad input answers 400 problem+json naming the field, and stores nothing. */
@QuarkusTest
class ValidationTest {

    static Stream<Arguments> badSubmissions() {
        return Stream.of(
                bad("name", b -> b.remove("name")),
                bad("name", b -> b.put("name", "  ")),
                bad("name", b -> b.put("name", 42)),
                bad("playbook", b -> b.remove("playbook")),
                bad("playbook", b -> b.put("playbook", "../pom.yml")),
                bad("playbook", b -> b.put("playbook", "/etc/hosts.yml")),
                bad("playbook", b -> b.put("playbook", "missing.yml")),
                bad("playbook", b -> b.put("playbook", "hello.txt")),
                bad("inventory", b -> b.remove("inventory")),
                bad("inventory", b -> b.put("inventory", List.of())),
                bad("inventory[1]", b -> b.put("inventory", List.of("localhost", "bad host"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("-oProxyCommand=x"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("a,b"))),
                bad("priority", b -> b.put("priority", "urgent")),
                bad("priority", b -> b.put("priority", 7)),
                bad("priority", b -> b.put("priority", true)),
                bad("type", b -> b.put("type", "shell")),
                bad("maxRetries", b -> b.put("maxRetries", -1)),
                bad("maxRetries", b -> b.put("maxRetries", "three")),
                bad("scheduledAt", b -> b.put("scheduledAt", "tomorrow")),
                // instants are kept between 1970 and 9999: past them a store overflows or shifts the calendar
                bad("scheduledAt", b -> b.put("scheduledAt", "+300000000-01-01T00:00:00Z")),
                bad("scheduledAt", b -> b.put("scheduledAt", "+10000-01-01T00:00:00Z")),
                bad("scheduledAt", b -> b.put("scheduledAt", "9999-12-31T23:59:59.001Z")),
                bad("scheduledAt", b -> b.put("scheduledAt", "1969-12-31T23:59:59Z")),
                bad("scheduledAt", b -> b.put("scheduledAt", "-999999999-01-01T00:00:00Z")),
                bad("timeout", b -> b.put("timeout", "5 minutes")),
                bad("timeout", b -> b.put("timeout", "PT0S")),
                bad("timeout", b -> b.put("timeout", "P3650D")),
                bad("timeout", b -> b.put("timeout", "PT9223372036854775807S")),
                bad("timeout", b -> b.put("timeout", "PT0.0009S")),
                bad("startDeadline", b -> b.put("startDeadline", "ten minutes")),
                bad("startDeadline", b -> b.put("startDeadline", "PT0S")),
                bad("startDeadline", b -> b.put("startDeadline", "-PT10M")),
                bad("startDeadline", b -> b.put("startDeadline", "P365DT0.001S")),
                bad("startDeadline", b -> b.put("startDeadline", 600)),
                bad("startDeadline", b -> {
                    b.put("scheduledAt", "9999-12-31T23:00:00Z");
                    b.put("startDeadline", "PT2H");
                }),
                bad("idleTimeout", b -> b.put("idleTimeout", "quiet")),
                bad("idleTimeout", b -> b.put("idleTimeout", "PT0S")),
                bad("idleTimeout", b -> b.put("idleTimeout", "-PT30S")),
                bad("idleTimeout", b -> b.put("idleTimeout", "PT0.0009S")),
                bad("idleTimeout", b -> b.put("idleTimeout", "PT24H0.001S")),
                bad("retryDelay", b -> b.put("retryDelay", "-PT5S")),
                bad("retryDelay", b -> b.put("retryDelay", "PT9223372036854775807S")),
                bad("retryDelay", b -> b.put("retryDelay", "PT10M0.001S")),
                // host ranges count as the hosts they stand for
                bad("inventory[0]", b -> b.put("inventory", List.of("h[1:1000000]"))),
                bad("inventory[1]", b -> b.put("inventory", List.of("localhost", "h[1:40]-[1:40]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[0:2000:2]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[a:z][A:Z][0:9]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[0:99999999999999999999999]"))),
                bad("inventory", b -> b.put("inventory", List.of("a[1:600]", "b[1:600]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[1:"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[1:]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[9:1]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[1:9:0]"))),
                bad("inventory[0]", b -> b.put("inventory", List.of("h[01:100]"))),
                bad("variables.not-an-identifier", b -> b.put("variables", Map.of("not-an-identifier", "x"))),
                bad("variables.count", b -> b.put("variables", Map.of("count", 3))),
                bad("tags[0]", b -> b.put("tags", List.of("has space"))),
                bad("dependsOn[0]", b -> b.put("dependsOn", List.of("not-a-uuid"))),
                bad("dependsOn", b -> b.put("dependsOn", List.of(UUID.randomUUID().toString()))),
                bad("colour", b -> b.put("colour", "blue")));
    }

    private static Arguments bad(String field, Consumer<Map<String, Object>> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badSubmissions")
    void aBadSubmissionNamesTheFieldAndStoresNothing(String field, Consumer<Map<String, Object>> change) {
        Map<String, Object> body = Api.job("valid", "hello.yml");
        change.accept(body);
        long[] before = storedRows();

        Api.post(body).then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", containsString("invalid-request"))
                .body("errors.field", hasItem(field))
                .body(not(containsString("Exception")));

        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void bodiesThatAreNotAJobObjectAreRefused() {
        long[] before = storedRows();
        for (String raw : List.of("not json", "", "null", "[]", "{\"name\": \"x\"", "{} trailing", "\"text\"")) {
            given().contentType(ContentType.JSON).body(raw).post("/api/v1/jobs").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("body"));
        }
        given().contentType(ContentType.TEXT).body("hello").post("/api/v1/jobs").then().statusCode(415)
                .contentType("application/problem+json");
        // a field given twice: which one counts would be a guess
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"],"
                + "\"priority\":\"low\",\"priority\":\"critical\"}").post("/api/v1/jobs").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("priority"));
        given().contentType(ContentType.JSON).body("{\"name\":\"a\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"],"
                + "\"variables\":{\"k\":\"1\",\"k\":\"2\"}}").post("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", hasItem("variables.k"));
        assertThat(storedRows()).isEqualTo(before);
    }

    @Test
    void aSymlinkOutOfThePlaybookDirectoryIsRefused() throws Exception {
        Path outside = Files.createTempFile("outside", ".yml");
        Path link = Path.of("src/test/resources/playbooks/escape-" + UUID.randomUUID() + ".yml");
        Files.createSymbolicLink(link, outside);
        try {
            Api.post(Api.job("escape", link.getFileName().toString())).then().statusCode(400)
                    .body("errors.field", hasItem("playbook"))
                    .body("errors.reason", hasItem(containsString("outside")));
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void unknownJobsAnswer404Problems() {
        String id = UUID.randomUUID().toString();
        for (String path : List.of("", "/events", "/log", "/wait?timeout=PT1S")) {
            given().get("/api/v1/jobs/" + id + path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .body("status", equalTo(404)).body("type", containsString("job-not-found"));
        }
        given().get("/api/v1/no-such-endpoint").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void badQueryParametersAndWorkerSizesAnswer400() {
        for (String query : List.of("limit=0", "limit=501", "limit=ten", "status=done", "type=shell", "priority=7",
                "createdAfter=yesterday", "cursor=%%%")) {
            given().get("/api/v1/jobs?" + query).then().statusCode(400).contentType("application/problem+json");
        }
        given().get("/api/v1/jobs/" + UUID.randomUUID() + "/wait?timeout=soon").then().statusCode(400)
                .body("errors.field", hasItem("timeout"));
        for (String raw : List.of("{\"workerCount\":-1}", "{\"workerCount\":257}", "{\"workerCount\":\"two\"}", "{}", "{\"workerCount\":2,\"x\":1}", "nope",
                "{\"workerCount\":2,\"workerCount\":3}", "{\"workerCount\":2}garbage", "{\"workerCount\":2} {}")) {
            given().contentType(ContentType.JSON).body(raw).put("/api/v1/workers").then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void theEdgesOfTheRangesAreAcceptedAndStoredAsSent() {
        Map<String, Object> body = Api.job("at the edges", "hello.yml");
        body.put("scheduledAt", "9999-12-31T23:59:59Z");
        body.put("timeout", "PT24H");
        body.put("idleTimeout", "PT24H");
        body.put("retryDelay", "PT10M");
        body.put("maxRetries", 100);
        body.put("inventory", List.of("web[001:500].example.com", "db-[a:t]-[0:9]", "x[1:600:2]"));
        String id = Api.submit(body);
        try {
            var job = Api.get(id);
            assertThat(job.getString("status")).isEqualTo("scheduled");
            assertThat(job.getString("scheduledAt")).isEqualTo("9999-12-31T23:59:59Z");
            assertThat(job.getString("timeout")).isEqualTo("PT24H");
            assertThat(job.getString("idleTimeout")).isEqualTo("PT24H");
            assertThat(job.getString("startDeadline")).isNull();
            assertThat(job.getString("retryDelay")).isEqualTo("PT10M");
        } finally {
            given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void theLongestStartDeadlineMayEndOnTheLastAcceptedDay() {
        Map<String, Object> body = Api.job("a year to start", "hello.yml");
        body.put("scheduledAt", "9998-12-31T00:00:00Z");
        body.put("startDeadline", "P365D");
        String id = Api.submit(body);
        try {
            var job = Api.get(id);
            assertThat(job.getString("status")).isEqualTo("scheduled");
            assertThat(Duration.parse(job.getString("startDeadline"))).isEqualTo(Duration.ofDays(365));
            assertThat(job.getString("idleTimeout")).isNull();
        } finally {
            given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        }
    }

    @Test
    void instantsOutsideTheRangeInQueriesAnswer400NamingTheParameter() {
        for (String path : List.of("/api/v1/jobs", "/api/v1/stats")) {
            for (String parameter : List.of("createdAfter", "createdBefore")) {
                for (String instant : List.of("-999999999-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z",
                        "+10000-01-01T00:00:00Z")) {
                    given().queryParam(parameter, instant).get(path).then().statusCode(400)
                            .contentType("application/problem+json").body("errors.field", hasItem(parameter))
                            .body("errors.reason", hasItem(containsString("9999-12-31T23:59:59Z")));
                }
                given().queryParam(parameter, "1970-01-01T00:00:00Z").get(path).then().statusCode(200);
                given().queryParam(parameter, "9999-12-31T23:59:59Z").get(path).then().statusCode(200);
            }
        }
        // a cursor is the creation millisecond and id of the last job seen: a forged one is no cursor
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("9223372036854775807:" + UUID.randomUUID()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        given().queryParam("cursor", forged).get("/api/v1/jobs").then().statusCode(400)
                .body("errors.field", hasItem("cursor"));
    }

    @Test
    void aTokenMayExpireAsLateAsTheRangeAllowsAndNoLater() {
        String token = given().contentType(ContentType.JSON).body(Map.of("userId", "far-future", "role", "viewer",
                        "expiresAt", "9999-12-31T23:59:59Z"))
                .post("/api/v1/tokens").then().statusCode(201)
                .body("info.expiresAt", equalTo("9999-12-31T23:59:59Z")).extract().path("token");
        Api.as(token).get("/api/v1/jobs").then().statusCode(200);
        Api.as(token).get("/api/v1/jobs").then().statusCode(200); // again, from the verification cache

        given().contentType(ContentType.JSON).body(Map.of("userId", "far-future", "role", "viewer",
                        "expiresAt", "+10000-01-01T00:00:00Z"))
                .post("/api/v1/tokens").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("expiresAt"));
    }

    /** Jobs and events stored, once nothing runs or waits that could still add events. */
    static long[] storedRows() {
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.workers().getInt("activeJobs") == 0
                && Api.workers().getLong("queueSize") == 0);
        return StoreRows.count("jobs", "job_events");
    }
}
