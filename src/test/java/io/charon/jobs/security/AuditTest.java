package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every action lands in the audit trail with its principal, time and target; admins read it.
 * Refused requests are counted per source and minute.
 */
@QuarkusTest
class AuditTest {

    private static final int CONNECTIONS = 16;

    @Inject
    Clock clock;

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
    void refusedRequestsAreRecordedWithoutTheirCredentials() throws Exception {
        String bad = "wrong-" + UUID.randomUUID();
        // from an address of its own, so that its row counts this request alone
        String source = loopbackAddress();
        assertThat(refuse(source, "/api/v1/jobs?probe=" + bad.hashCode(), bad, 1)).containsOnly(401);
        String viewer = Api.token("peeker-" + UUID.randomUUID().toString().substring(0, 8), "viewer");
        Api.as(viewer).get("/api/v1/audit").then().statusCode(403);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(refusalsFrom(source)).singleElement().satisfies(e -> {
                assertThat(e.get("outcome")).isEqualTo("failed");
                assertThat(e.get("principal")).isEqualTo("-");
                assertThat(e.get("target")).isEqualTo("GET /api/v1/jobs");
                assertThat(e.get("count")).isEqualTo(1);
            });
            assertThat(entries("action=authorization&limit=20")).anySatisfy(e -> {
                assertThat(e.get("outcome")).isEqualTo("denied");
                assertThat((String) e.get("principal")).startsWith("peeker-");
                assertThat(e.get("target")).isEqualTo("GET /api/v1/audit");
            });
        });
        assertThat(given().get("/api/v1/audit?limit=500").asString()).doesNotContain(bad);
    }

    /**
     * Refused requests are counted per source and minute: ten thousand bad tokens from one source,
     * many at once on kept-alive connections, add a row for each minute they span (one, mostly),
     * whose counts add up to every request.
     */
    @Test
    void aFloodOfBadTokensAddsARowAMinuteCountingEveryRequest() throws Exception {
        int requests = 10_000;
        String source = loopbackAddress();
        Instant firstMinute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        List<Integer> statuses = refuse(source, "/api/v1/jobs", "flood-" + UUID.randomUUID(), requests);
        Instant lastMinute = clock.instant().truncatedTo(ChronoUnit.MINUTES);
        assertThat(statuses).hasSize(requests).containsOnly(401);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(refusalsFrom(source).stream()
                .mapToLong(e -> ((Number) e.get("count")).longValue()).sum()).isEqualTo(requests));
        long minutes = Duration.between(firstMinute, lastMinute).toMinutes() + 1;
        List<Map<String, Object>> rows = refusalsFrom(source);
        assertThat(rows).hasSizeLessThanOrEqualTo((int) minutes).allSatisfy(e -> {
            assertThat(e.get("target")).isEqualTo("GET /api/v1/jobs");
            assertThat(e.get("outcome")).isEqualTo("failed");
        });
        assertThat(rows).extracting(e -> (String) e.get("at")).doesNotHaveDuplicates();
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

    /** Authentication failures recorded from {@code source}. */
    private static List<Map<String, Object>> refusalsFrom(String source) {
        return entries("action=authentication&limit=500").stream().filter(e -> source.equals(e.get("remoteAddress"))).toList();
    }

    /** A loopback address no other test uses: 127.x.y.z. */
    private static String loopbackAddress() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "127." + random.nextInt(1, 255) + "." + random.nextInt(0, 256) + "." + random.nextInt(1, 255);
    }

    /**
     * Sends {@code requests} GETs with {@code token} from {@code source}, up to {@link #CONNECTIONS}
     * at once on kept-alive connections; returns their statuses.
     */
    private static List<Integer> refuse(String source, String path, String token, int requests) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(RestAssured.port).setLocalAddress(source).setKeepAlive(true)
                    .setMaxPoolSize(CONNECTIONS));
            List<Future<Integer>> answers = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                answers.add(client.request(HttpMethod.GET, path)
                        .compose(request -> request.putHeader("Authorization", "Bearer " + token).send())
                        .compose(response -> response.body().map(body -> response.statusCode())));
            }
            Future.join(answers).toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
            return answers.stream().map(Future::result).toList();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
        }
    }

    private static List<Map<String, Object>> entries(String query) {
        return given().get("/api/v1/audit?" + query).then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static String tokenId(String user) {
        return given().get("/api/v1/tokens").then().statusCode(200).extract().jsonPath()
                .getString("find { it.userId == '" + user + "' }.id");
    }
}
