package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every action lands in the audit trail with its principal, time and target; admins read it. */
@QuarkusTest
class AuditTest {

    @Test
    void jobActionsAreRecordedWithTheirPrincipalAndTarget() {
        String user = "auditee-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Api.token(user, "operator");
        String id;
        try (Gate gate = new Gate()) {
            id = Api.as(token).contentType(ContentType.JSON).body(gate.job("audited")).post("/api/v1/jobs")
                    .then().statusCode(201).extract().path("id");
            Api.as(token).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
        }
        String again = Api.as(token).post("/api/v1/jobs/" + id + "/relaunch").then().statusCode(201).extract().path("id");

        List<Map<String, Object>> mine = entries("principal=" + user);
        assertThat(mine).extracting(e -> e.get("action") + " " + e.get("target"))
                .containsExactly("job.relaunch " + again, "job.cancel " + id, "job.submit " + id);
        assertThat(mine).allSatisfy(e -> {
            assertThat(e.get("outcome")).isEqualTo("success");
            assertThat((String) e.get("at")).isNotBlank();
        });
        assertThat(mine.get(0).get("detail")).isEqualTo("relaunch of " + id);
        assertThat(entries("action=token.create&target=" + tokenId(user)))
                .singleElement().satisfies(e -> assertThat(e.get("principal")).isEqualTo("admin"));
    }

    @Test
    void workerResizesAndTokenChangesAreRecorded() {
        int before = Api.workers().getInt("workerCount");
        Api.setWorkers(before + 1);
        Api.setWorkers(before);
        assertThat(entries("action=workers.resize&limit=2")).extracting(e -> e.get("detail"))
                .containsExactly(before + 1 + " -> " + before, before + " -> " + (before + 1));

        String user = "revoked-" + UUID.randomUUID().toString().substring(0, 8);
        String token = Api.token(user, "viewer");
        String id = tokenId(user);
        given().delete("/api/v1/tokens/" + id).then().statusCode(200);
        assertThat(entries("target=" + id)).extracting(e -> e.get("action")).containsExactly("token.revoke", "token.create");
        String trail = given().get("/api/v1/audit?limit=500").asString();
        assertThat(trail).doesNotContain(token).doesNotContain(ApiTokens.hash(token));
    }

    @Test
    void refusedRequestsAreRecordedWithoutTheirCredentials() {
        String bad = "Bearer wrong-" + UUID.randomUUID();
        given().header("Authorization", bad).get("/api/v1/jobs?probe=" + bad.hashCode()).then().statusCode(401);
        String viewer = Api.token("peeker-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        Api.as(viewer).get("/api/v1/audit").then().statusCode(403);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Map<String, Object>> failures = entries("action=authentication&limit=20");
            assertThat(failures).anySatisfy(e -> {
                assertThat(e.get("outcome")).isEqualTo("failed");
                assertThat(e.get("target")).isEqualTo("GET /api/v1/jobs");
                assertThat(e.get("remoteAddress")).isNotNull();
            });
            assertThat(entries("action=authorization&limit=20")).anySatisfy(e -> {
                assertThat(e.get("outcome")).isEqualTo("denied");
                assertThat((String) e.get("principal")).startsWith("peeker-");
                assertThat(e.get("target")).isEqualTo("GET /api/v1/audit");
            });
        });
        assertThat(given().get("/api/v1/audit?limit=500").asString()).doesNotContain(bad.substring(7));
    }

    @Test
    void theTrailIsPagedNewestFirst() {
        for (int i = 0; i < 3; i++) {
            Api.token("pager-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        }
        JsonPath first = given().get("/api/v1/audit?action=token.create&limit=2").then().statusCode(200).extract().jsonPath();
        List<Integer> ids = first.getList("items.id");
        assertThat(ids).hasSize(2).isSortedAccordingTo((a, b) -> b - a);
        JsonPath second = given().get("/api/v1/audit?action=token.create&limit=2&cursor=" + first.getString("nextCursor"))
                .then().statusCode(200).extract().jsonPath();
        assertThat(second.<Integer>getList("items.id")).allSatisfy(id -> assertThat(id).isLessThan(ids.get(1)));
        given().get("/api/v1/audit?cursor=abc").then().statusCode(400);
    }

    private static List<Map<String, Object>> entries(String query) {
        return given().get("/api/v1/audit?" + query).then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static String tokenId(String user) {
        return given().get("/api/v1/tokens").then().statusCode(200).extract().jsonPath()
                .getString("find { it.userId == '" + user + "' }.id");
    }
}
