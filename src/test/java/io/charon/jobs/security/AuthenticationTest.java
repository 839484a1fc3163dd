package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.DefaultToken;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Tokens and roles: who may call what, and how a refusal looks. */
@QuarkusTest
class AuthenticationTest {

    static final String PROBLEM = "application/problem+json";

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/jobs", "/api/v1/events", "/api/v1/workers", "/api/v1/audit", "/api/v1/tokens",
            "/api/v1/jobs/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "/api/v1/no-such-thing", "/q/metrics"})
    void withoutATokenEveryApiPathAnswers401Problem(String path) {
        Api.anonymous().get(path).then().statusCode(401).contentType(PROBLEM)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401)).body("type", containsString("unauthorized"));
    }

    @Test
    void aSubmissionWithoutATokenIsRefusedAndStoresNothing() {
        Api.anonymous().contentType(ContentType.JSON).body(Api.job("sneaky", "hello.yml")).post("/api/v1/jobs")
                .then().statusCode(401).contentType(PROBLEM);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bearer not-a-token", "Bearer ", "Basic YWRtaW46YWRtaW4=", "bearer", "Token abc",
            "Bearer " + DefaultToken.ADMIN + "x", "Bearer a b"})
    void aBadTokenIsRefusedOnEveryPathEvenPublicOnes(String header) {
        for (String path : List.of("/api/v1/jobs", "/q/health/live")) {
            given().header("Authorization", header).get(path).then().statusCode(401).contentType(PROBLEM)
                    .body("detail", containsString("Bearer"));
        }
    }

    @Test
    void healthAndTheApiDescriptionNeedNoToken() {
        Api.anonymous().get("/q/health/live").then().statusCode(200);
        Api.anonymous().get("/q/health/ready").then().statusCode(200);
        Api.anonymous().get("/q/openapi").then().statusCode(200);
    }

    @Test
    void metricsNeedAnyValidToken() {
        String viewer = Api.token("metrics-reader", "viewer");
        Api.as(viewer).get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aViewerReadsButCannotChangeAnything() {
        String operator = Api.token("vera", "operator");
        String viewer = Api.token("vera", "viewer");
        String id = Api.as(operator).contentType(ContentType.JSON).body(Api.job("veras job", "hello.yml"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");

        Api.as(viewer).get("/api/v1/jobs/" + id).then().statusCode(200).body("userId", equalTo("vera"));
        Api.as(viewer).get("/api/v1/jobs").then().statusCode(200);
        forbidden(Api.as(viewer).contentType(ContentType.JSON).body(Api.job("no", "hello.yml")).post("/api/v1/jobs"));
        forbidden(Api.as(viewer).post("/api/v1/jobs/" + id + "/cancel"));
        forbidden(Api.as(viewer).post("/api/v1/jobs/" + id + "/relaunch"));
    }

    @Test
    void anOperatorWorksOnJobsButNotOnWorkersTokensOrAudit() {
        String operator = Api.token("otto", "operator");
        Api.as(operator).contentType(ContentType.JSON).body(Api.job("ottos job", "hello.yml")).post("/api/v1/jobs")
                .then().statusCode(201).body("userId", equalTo("otto"));
        forbidden(Api.as(operator).get("/api/v1/workers"));
        forbidden(Api.as(operator).contentType(ContentType.JSON).body(Map.of("workerCount", 9)).put("/api/v1/workers"));
        forbidden(Api.as(operator).get("/api/v1/tokens"));
        forbidden(Api.as(operator).contentType(ContentType.JSON).body(Map.of("userId", "otto", "role", "admin"))
                .post("/api/v1/tokens"));
        forbidden(Api.as(operator).get("/api/v1/audit"));
    }

    @Test
    void whoamiNamesTheTokensUserAndHighestRole() {
        Api.as(Api.token("wanda", "viewer")).get("/api/v1/whoami").then().statusCode(200)
                .body("userId", equalTo("wanda")).body("role", equalTo("viewer"));
        Api.as(Api.token("wanda", "operator")).get("/api/v1/whoami").then().statusCode(200)
                .body("role", equalTo("operator"));
        given().get("/api/v1/whoami").then().statusCode(200).body("userId", equalTo("admin")).body("role", equalTo("admin"));
        Api.anonymous().get("/api/v1/whoami").then().statusCode(401);
    }

    @Test
    void theOwnerIsTheTokensUserNeverTheBody() {
        String operator = Api.token("olga", "operator");
        Map<String, Object> body = Api.job("spoof", "hello.yml");
        body.put("userId", "admin");
        Api.as(operator).contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("userId"));
        body.remove("userId");
        Api.as(operator).contentType(ContentType.JSON).body(body).post("/api/v1/jobs").then().statusCode(201)
                .body("userId", equalTo("olga"));
    }

    @Test
    void tokensAreListedWithoutTheirTextAndStopWorkingWhenRevoked() {
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("userId", "rita", "role", "operator", "description", "ci pipeline"))
                .post("/api/v1/tokens");
        created.then().statusCode(201).body("info.userId", equalTo("rita")).body("info.role", equalTo("operator"));
        String token = created.path("token");
        String id = created.path("info.id");
        assertThat(token).startsWith("chr_").hasSizeGreaterThan(40);
        Api.as(token).get("/api/v1/jobs").then().statusCode(200);

        String listing = given().get("/api/v1/tokens").then().statusCode(200).extract().asString();
        assertThat(listing).contains(id).contains("rita").doesNotContain(token)
                .doesNotContain(ApiTokens.hash(token)).contains("\"source\":\"config\"");

        given().delete("/api/v1/tokens/" + id).then().statusCode(200).body("revokedBy", equalTo("admin"));
        Api.as(token).get("/api/v1/jobs").then().statusCode(401).contentType(PROBLEM);
        given().delete("/api/v1/tokens/no-such-token").then().statusCode(404).contentType(PROBLEM);
        given().delete("/api/v1/tokens/config:admin").then().statusCode(409).contentType(PROBLEM);
    }

    @Test
    void anExpiredTokenIsRefused() {
        Response created = given().contentType(ContentType.JSON)
                .body(Map.of("userId", "eve", "role", "viewer", "expiresAt", java.time.Instant.now().plusSeconds(2).toString()))
                .post("/api/v1/tokens");
        String token = created.then().statusCode(201).extract().path("token");
        Api.as(token).get("/api/v1/jobs").then().statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Api.as(token).get("/api/v1/jobs").statusCode() == 401);
    }

    @Test
    void badTokenRequestsNameTheirFields() {
        given().contentType(ContentType.JSON).body(Map.of("userId", "bad user", "role", "root", "expiresAt", "2000-01-01T00:00:00Z"))
                .post("/api/v1/tokens").then().statusCode(400).contentType(PROBLEM)
                .body("errors.field", org.hamcrest.Matchers.hasItems("userId", "role", "expiresAt"));
    }

    private static void forbidden(Response response) {
        response.then().statusCode(403).contentType(PROBLEM).body("status", equalTo(403));
    }
}
