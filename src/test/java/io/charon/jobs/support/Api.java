package io.charon.jobs.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Talks to the service the way a client does: over HTTP, with JSON. */
public final class Api {

    public static final List<String> TERMINAL = List.of("completed", "failed", "cancelled", "timeout");
    /**
     * For many requests at once ({@link #submitAll}, {@link #cancelAll}): connections kept open,
     * where RestAssured opens one and builds a request pipeline per call, about 100 ms a request
     * on a loaded machine.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final int AT_ONCE = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Api() {
    }

    /** A minimal valid submission of {@code playbook} on localhost; callers add or override fields. */
    public static Map<String, Object> job(String name, String playbook) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("playbook", playbook);
        body.put("inventory", List.of("localhost"));
        return body;
    }

    public static Response post(Object body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs");
    }

    /** Submits and returns the new job's id, insisting on 201. */
    public static String submit(Map<String, Object> body) {
        return post(body).then().statusCode(201).extract().path("id");
    }

    /** Submits every body, several at once (each waits for its group commit); the new jobs' ids, in order. */
    public static List<String> submitAll(List<Map<String, Object>> bodies) {
        List<HttpRequest> requests = new ArrayList<>();
        for (Map<String, Object> body : bodies) {
            try {
                requests.add(request("/api/v1/jobs").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sendAll(requests, 201).stream().map(answer -> {
            try {
                return JSON.readTree(answer).get("id").asText();
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** Cancels every job (none may have ended), several at once. */
    public static void cancelAll(Collection<String> ids) {
        sendAll(ids.stream().map(id -> request("/api/v1/jobs/" + id + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody()).build()).toList(), 200);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header(DefaultToken.HEADER, DefaultToken.bearer(DefaultToken.ADMIN)).timeout(Duration.ofSeconds(60));
    }

    /** Sends the requests, {@link #AT_ONCE} at a time; their bodies in order, each insisting on {@code expected}. */
    private static List<String> sendAll(List<HttpRequest> requests, int expected) {
        Semaphore slots = new Semaphore(AT_ONCE);
        List<CompletableFuture<String>> answers = new ArrayList<>();
        for (HttpRequest request : requests) {
            slots.acquireUninterruptibly();
            answers.add(HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> slots.release())
                    .thenApply(response -> {
                        if (response.statusCode() != expected) {
                            throw new AssertionError(request.method() + " " + request.uri().getPath() + ": expected "
                                    + expected + " but was " + response.statusCode() + ": " + response.body());
                        }
                        return response.body();
                    }));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    public static JsonPath get(String id) {
        return given().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Cancels a job that has not ended, insisting on 200. */
    public static void cancel(String id) {
        given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
    }

    public static String status(String id) {
        return get(id).getString("status");
    }

    /** Waits for a final status through the API's own wait endpoint, then returns the job. */
    public static JsonPath awaitTerminal(String id, Duration atMost) {
        await().atMost(atMost).until(() -> TERMINAL.contains(given()
                .get("/api/v1/jobs/" + id + "/wait?timeout=PT10S").then().statusCode(200).extract().path("status")));
        return get(id);
    }

    public static JsonPath awaitTerminal(String id) {
        return awaitTerminal(id, Duration.ofSeconds(90));
    }

    /** Waits for {@code status}; fails at once, saying why, if the job ends in another one. */
    public static void awaitStatus(String id, String status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath job = get(id);
            String now = job.getString("status");
            if (!now.equals(status) && TERMINAL.contains(now)) {
                throw new AssertionError("job " + id + " ended " + now + " while awaited " + status + ": "
                        + job.getString("errorMessage"));
            }
            return now.equals(status);
        });
    }

    public static List<Map<String, Object>> events(String id) {
        return given().get("/api/v1/jobs/" + id + "/events").then().statusCode(200).extract().jsonPath().getList("$");
    }

    public static void setWorkers(int count) {
        given().contentType(ContentType.JSON).body(Map.of("workerCount", count)).put("/api/v1/workers")
                .then().statusCode(200);
    }

    public static JsonPath workers() {
        return given().get("/api/v1/workers").then().statusCode(200).extract().jsonPath();
    }

    /** A request without any token, as an unauthenticated client sends it. */
    public static RequestSpecification anonymous() {
        return given().noFiltersOfType(DefaultToken.class);
    }

    /** A request with {@code token} instead of the default admin token. */
    public static RequestSpecification as(String token) {
        return given().header(DefaultToken.HEADER, DefaultToken.bearer(token));
    }

    /** Creates a token for {@code user} with {@code role} (as the admin) and returns its text. */
    public static String token(String user, String role) {
        return given().contentType(ContentType.JSON).body(Map.of("userId", user, "role", role))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
    }

    public static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        body.put(key, value);
        return body;
    }
}
