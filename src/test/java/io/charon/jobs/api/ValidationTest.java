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
                bad("timeout", b -> b.put("timeout", "5 minutes")),
                bad("timeout", b -> b.put("timeout", "PT0S")),
                bad("timeout", b -> b.put("timeout", "P3650D")),
                bad("retryDelay", b -> b.put("retryDelay", "-PT5S")),
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

    /** Jobs and events stored, once nothing runs or waits that could still add events. */
    static long[] storedRows() {
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.workers().getInt("activeJobs") == 0
                && Api.workers().getLong("queueSize") == 0);
        return StoreRows.count("jobs", "job_events");
    }
}
