package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Response headers, cross-origin requests and request size limits. */
@QuarkusTest
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
}
