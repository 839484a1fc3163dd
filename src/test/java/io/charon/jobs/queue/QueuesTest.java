package io.charon.jobs.queue;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/** Named queues through the API: caps and pause set at run time, as the claim applies them. */
@QuarkusTest
class QueuesTest {

    private static String queueName() {
        return "q-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static Map<String, Object> inQueue(Gate gate, String name, String queue) {
        Map<String, Object> body = gate.job(name);
        body.put("queue", queue);
        return body;
    }

    private static JsonPath change(String queue, Map<String, Object> settings) {
        return given().contentType(ContentType.JSON).body(settings).put("/api/v1/queues/" + queue)
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath queue(String name) {
        JsonPath all = given().get("/api/v1/queues").then().statusCode(200).extract().jsonPath();
        Map<String, Object> found = all.getMap("find { it.name == '" + name + "' }");
        assertThat(found).as("queue " + name).isNotNull();
        return new JsonPath(io.charon.jobs.persistence.JsonColumns.write(found));
    }

    @Test
    void aCappedQueueRunsNoMoreThanItsCapAndTheRestWait() {
        String name = queueName();
        JsonPath capped = change(name, Map.of("maxConcurrent", 1));
        assertThat(capped.getInt("maxConcurrent")).isEqualTo(1);
        String first;
        String second;
        String elsewhere;
        try (Gate gate = new Gate()) {
            first = Api.submit(inQueue(gate, "first", name));
            second = Api.submit(inQueue(gate, "second", name));
            elsewhere = Api.submit(gate.job("default-queue"));
            Api.awaitStatus(first, "running");
            Api.awaitStatus(elsewhere, "running");
            // the second waits for its queue's one slot, however many passes go by
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonPath state = queue(name);
                return state.getLong("depth") == 1 && state.getLong("running") == 1;
            });
            assertThat(Api.status(second)).isEqualTo("queued");
        }
        JsonPath one = Api.awaitTerminal(first);
        JsonPath two = Api.awaitTerminal(second);
        assertThat(two.getString("queue")).isEqualTo(name);
        assertThat(java.time.Instant.parse(two.getString("startedAt")))
                .isAfterOrEqualTo(java.time.Instant.parse(one.getString("completedAt")));
        Api.awaitTerminal(elsewhere);

        given().contentType(ContentType.JSON).body("{\"maxConcurrent\": null}").put("/api/v1/queues/" + name)
                .then().statusCode(200).body("maxConcurrent", nullValue());
    }

    @Test
    void aPausedQueueKeepsItsJobsUntilResumed() {
        String name = queueName();
        assertThat(change(name, Map.of("paused", true)).getBoolean("paused")).isTrue();
        Map<String, Object> body = Api.job("paused", "hello.yml");
        body.put("queue", name);
        String waiting = Api.submit(body);
        String other = Api.submit(Api.job("not-paused", "hello.yml"));
        assertThat(Api.awaitTerminal(other).getString("status")).isEqualTo("completed");
        // the passes that ran the other job left this one where it is
        assertThat(Api.status(waiting)).isEqualTo("queued");
        assertThat(queue(name).getLong("depth")).isEqualTo(1);
        assertThat(queue(name).getBoolean("paused")).isTrue();

        assertThat(change(name, Map.of("paused", false)).getBoolean("paused")).isFalse();
        assertThat(Api.awaitTerminal(waiting).getString("status")).isEqualTo("completed");
        given().get("/api/v1/audit?action=queue.change&target=" + name).then().statusCode(200)
                .body("items.detail", hasItem(containsString("paused, cap none -> running, cap none")));
    }

    @Test
    void queueChangesAreCheckedAndForAdminsOnly() {
        given().contentType(ContentType.JSON).body(Map.of("maxConcurrent", 0)).put("/api/v1/queues/q1")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("maxConcurrent"));
        given().contentType(ContentType.JSON).body(Map.of("paused", "yes")).put("/api/v1/queues/q1")
                .then().statusCode(400).body("errors[0].field", equalTo("paused"));
        given().contentType(ContentType.JSON).body(Map.of("speed", 3)).put("/api/v1/queues/q1")
                .then().statusCode(400).body("errors[0].field", equalTo("speed"));
        given().contentType(ContentType.JSON).body(Map.of("paused", true)).put("/api/v1/queues/bad name")
                .then().statusCode(400).body("errors[0].reason", containsString("letters, digits"));

        String viewer = given().contentType(ContentType.JSON).body(Map.of("userId", "queue-watcher", "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        Api.as(viewer).get("/api/v1/queues").then().statusCode(200).body("name", hasItem("default"));
        Api.as(viewer).contentType(ContentType.JSON).body(Map.of("paused", true)).put("/api/v1/queues/default")
                .then().statusCode(403);
        given().get("/api/v1/queues").then().body("find { it.name == 'default' }.paused", equalTo(false));
    }
}
