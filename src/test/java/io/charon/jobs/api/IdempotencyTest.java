package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Submissions with an Idempotency-Key create their job once, however often they are repeated. */
@QuarkusTest
class IdempotencyTest {

    private static Response post(String key, String json) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(json).post("/api/v1/jobs");
    }

    private static String body(String tag, String name) {
        return "{\"name\":\"" + name + "\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"],\"tags\":[\"" + tag + "\"]}";
    }

    private static int storedWithTag(String tag) {
        return given().get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath().getList("items").size();
    }

    @Test
    void aRepeatedRequestReturnsTheOriginalJobWithoutCreatingAnother() {
        String tag = "idem-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String id = post(key, body(tag, "once")).then().statusCode(201).extract().path("id");

        // the same request written differently: other field order, spacing
        String reordered = "{ \"tags\": [\"" + tag + "\"], \"inventory\": [\"localhost\"], \"playbook\": \"hello.yml\", \"name\": \"once\" }";
        post(key, reordered).then().statusCode(200)
                .header("Idempotent-Replayed", "true")
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/jobs/" + id))
                .body("id", equalTo(id));

        assertThat(storedWithTag(tag)).isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherRequestIsAConflictAndStoresNothing() {
        String tag = "idem-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        post(key, body(tag, "first")).then().statusCode(201);

        post(key, body(tag, "second")).then().statusCode(409)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://charon.io/problems/idempotency-key-reused"));

        assertThat(storedWithTag(tag)).isEqualTo(1);
    }

    /**
     * Keyed submissions arriving together share a group commit, whose keys go to the store as one
     * batch (on PostgreSQL one multi-row insert, whose rows the driver does not count): each still
     * gets its own job, and each repeat that job.
     */
    @Test
    void concurrentSubmissionsWithTheirOwnKeysEachCreateTheirJob() {
        String tag = "idem-" + UUID.randomUUID();
        List<String> keys = IntStream.range(0, 24).mapToObj(i -> UUID.randomUUID().toString()).toList();
        ExecutorService clients = Executors.newFixedThreadPool(keys.size());
        try {
            List<CompletableFuture<Response>> posts = keys.stream()
                    .map(key -> CompletableFuture.supplyAsync(() -> post(key, body(tag, "own")), clients)).toList();
            List<String> ids = posts.stream().map(CompletableFuture::join)
                    .map(answer -> answer.then().statusCode(201).extract().<String>path("id")).toList();
            assertThat(ids).doesNotHaveDuplicates();
            for (int i = 0; i < keys.size(); i++) {
                post(keys.get(i), body(tag, "own")).then().statusCode(200).body("id", equalTo(ids.get(i)));
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(storedWithTag(tag)).isEqualTo(keys.size());
    }

    @Test
    void concurrentRepeatsCreateExactlyOneJob() {
        String tag = "idem-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        List<CompletableFuture<Response>> posts = IntStream.range(0, 12)
                .mapToObj(i -> CompletableFuture.supplyAsync(() -> post(key, body(tag, "racing"))))
                .toList();
        List<Response> answers = posts.stream().map(CompletableFuture::join).toList();

        assertThat(answers).extracting(Response::statusCode).containsOnly(201, 200).containsOnlyOnce(201);
        assertThat(answers).extracting(answer -> answer.path("id").toString()).containsOnly(answers.get(0).path("id").toString());
        assertThat(storedWithTag(tag)).isEqualTo(1);
    }

    @Test
    void aMalformedKeyIsRefusedAndStoresNothing() {
        String tag = "idem-" + UUID.randomUUID();
        for (String key : List.of("has space", "x".repeat(256), "tab\there")) {
            post(key, body(tag, "bad-key")).then().statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("errors[0].field", equalTo("Idempotency-Key"));
        }
        assertThat(storedWithTag(tag)).isZero();
        Api.submit(Api.job("without-key-still-fine", "hello.yml"));
    }
}
