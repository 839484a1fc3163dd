package io.charon.jobs.support;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/** Talks to the service the way a client does: over HTTP, with JSON. */
public final class Api {

    public static final List<String> TERMINAL = List.of("completed", "failed", "cancelled", "timeout");

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
