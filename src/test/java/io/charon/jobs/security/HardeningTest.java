package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.DefaultToken;
import io.charon.jobs.support.StoreRows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Response headers, cross-origin requests and request size limits. */
@QuarkusTest
@Tag("store-independent") // headers, origins and limits of the HTTP layer: refused before the store is asked
class HardeningTest {

    @Test
    void everyAnswerCarriesTheSecurityHeaders() {
        for (Response response : List.of(given().get("/api/v1/jobs"), Api.anonymous().get("/api/v1/jobs"),
                given().get("/api/v1/jobs/nope"), Api.anonymous().get("/q/health/live"))) {
            response.then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", containsString("default-src 'none'"))
                    .header("Referrer-Policy", "no-referrer");
        }
        given().get("/api/v1/jobs").then().header("Cache-Control", "no-store");
    }

    @Test
    void dashboardPagesNeedNoTokenAndAllowNoInlineScript() {
        for (String page : List.of("/", "/signin", "/jobs", "/jobs/some-id", "/launch", "/schedules", "/audit")) {
            Api.anonymous().get(page).then().statusCode(200).contentType(containsString("text/html"))
                    .header("Set-Cookie", nullValue())
                    .header("Content-Security-Policy", equalTo("default-src 'none'; script-src 'self'; style-src 'self';"
                            + " img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"))
                    .header("X-Frame-Options", "DENY");
        }
        Api.anonymous().get("/assets/js/dashboard.js").then().statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"));
        Api.anonymous().get("/api/v1/jobs").then().statusCode(401)
                .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    }

    @Test
    void crossOriginRequestsGetNoPermission() {
        given().header("Origin", "https://evil.example").get("/api/v1/jobs").then()
                .header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                .options("/api/v1/jobs").then().header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void aHugeBodyIsRefusedWithAProblem() {
        String huge = "{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
        given().contentType(ContentType.JSON).body(huge).post("/api/v1/jobs").then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
        // streamed without a length: cut off while it arrives
        given().contentType(ContentType.JSON).body(new java.io.ByteArrayInputStream(huge.getBytes()))
                .post("/api/v1/jobs").then().statusCode(413)
                .contentType("application/problem+json").body("status", equalTo(413));
    }

    /** Sent in chunks, so no length announces it: cut off while it arrives, answered as a problem, no error logged. */
    @Test
    void aChunkedBodyOverTheLimitIsRefusedWithAProblem() {
        byte[] huge = ("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
        List<LogRecord> errors = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    errors.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(handler);
        try {
            for (String path : List.of("/api/v1/jobs", "/api/v1/tokens")) {
                RawHttp.Answer answer;
                try (RawHttp.Connection connection = new RawHttp.Connection()) {
                    answer = connection.exchange(RawHttp.request("POST", path, List.of("Host: 127.0.0.1",
                            "Authorization: Bearer " + DefaultToken.ADMIN, "Content-Type: application/json"), huge, true), false);
                }
                assertThat(answer.status()).as(path).isEqualTo(413);
                assertThat(answer.contentType()).as(path).startsWith("application/problem+json");
                assertThat(JsonPath.from(answer.body()).getInt("status")).as(path).isEqualTo(413);
            }
            // a request after them is served as usual
            given().get("/api/v1/workers").then().statusCode(200);
        } finally {
            root.removeHandler(handler);
        }
        assertThat(errors).as("errors logged").extracting(LogRecord::getMessage).isEmpty();
    }

    /** A chunked body under the limit, read into memory to measure it, still reaches the endpoint whole. */
    @Test
    void aChunkedBodyUnderTheLimitIsServedAsUsual() {
        RawHttp.Answer created = chunked("POST", "/api/v1/jobs",
                "{\"name\":\"sent-in-chunks\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"]}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = JsonPath.from(created.body()).getString("id");
        given().get("/api/v1/jobs/" + id).then().statusCode(200)
                .body("name", equalTo("sent-in-chunks")).body("playbook", equalTo("hello.yml"));

        int before = Api.workers().getInt("workerCount");
        int other = before == 1 ? 2 : 1;
        try {
            RawHttp.Answer resized = chunked("PUT", "/api/v1/workers", "{\"workerCount\":" + other + "}");
            assertThat(resized.status()).as(resized.body()).isEqualTo(200);
            assertThat(Api.workers().getInt("workerCount")).isEqualTo(other);
        } finally {
            Api.setWorkers(before);
        }
    }

    private static RawHttp.Answer chunked(String method, String path, String json) {
        try (RawHttp.Connection connection = new RawHttp.Connection()) {
            return connection.exchange(RawHttp.request(method, path, List.of("Host: 127.0.0.1",
                    "Authorization: Bearer " + DefaultToken.ADMIN, "Content-Type: application/json"),
                    json.getBytes(StandardCharsets.UTF_8), true), false);
        }
    }

    /** Bodies of the API are JSON: any other content type, or none, is a 415 before anything is read. */
    @Test
    void aJsonEndpointTakesOnlyJson() {
        long[] before = StoreRows.count("jobs", "api_tokens");
        int workers = Api.workers().getInt("workerCount");
        Map<String, String> bodies = Map.of(
                "/api/v1/jobs", "{\"name\":\"plain\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"]}",
                "/api/v1/tokens", "{\"userId\":\"plain\",\"role\":\"viewer\"}",
                "/api/v1/workers", "{\"workerCount\":" + (workers + 1) + "}");
        for (Map.Entry<String, String> endpoint : bodies.entrySet()) {
            String method = endpoint.getKey().endsWith("workers") ? "PUT" : "POST";
            // on a socket: a client library will not send a byte body as a form, nor a body without a type
            List<String> types = Arrays.asList("text/plain", "text/plain; charset=UTF-8", "application/x-www-form-urlencoded",
                    "application/xml", "application/octet-stream", "multipart/form-data; boundary=x", "application/jsonx", null);
            try (RawHttp.Connection connection = new RawHttp.Connection()) {
                for (String type : types) {
                    List<String> headers = new ArrayList<>(List.of("Host: 127.0.0.1", "Authorization: Bearer " + DefaultToken.ADMIN));
                    if (type != null) {
                        headers.add("Content-Type: " + type);
                    }
                    RawHttp.Answer answer = connection.exchange(RawHttp.request(method, endpoint.getKey(), headers,
                            endpoint.getValue().getBytes(StandardCharsets.UTF_8), false), false);
                    assertThat(answer.status()).as(method + " " + endpoint.getKey() + " as " + type).isEqualTo(415);
                    assertThat(answer.contentType()).startsWith("application/problem+json");
                    assertThat(JsonPath.from(answer.body()).getInt("status")).isEqualTo(415);
                }
            }
        }
        assertThat(StoreRows.count("jobs", "api_tokens")).containsExactly(before);
        assertThat(Api.workers().getInt("workerCount")).isEqualTo(workers);
        // JSON with its charset is JSON
        given().contentType("application/json; charset=UTF-8").body(bodies.get("/api/v1/jobs"))
                .post("/api/v1/jobs").then().statusCode(201);
    }
}
