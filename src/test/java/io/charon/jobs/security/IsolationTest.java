package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.SseClient;
import io.charon.jobs.support.SseClient.Message;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Two users and an admin: each user sees and acts on only their own jobs, their events and logs;
 * another user's job answers exactly as a job that does not exist. The admin sees everything.
 */
@QuarkusTest
class IsolationTest {

    private static final Duration LONG = Duration.ofSeconds(90);

    private String alice;
    private String bob;
    private String tag;

    @BeforeEach
    void users() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        alice = Api.token("alice-" + suffix, "operator");
        bob = Api.token("bob-" + suffix, "operator");
        tag = "iso-" + suffix;
    }

    private String submitAs(String token, Map<String, Object> body) {
        return Api.as(token).contentType(ContentType.JSON).body(Api.with(body, "tags", List.of(tag)))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
    }

    @Test
    void anotherUsersJobAnswersAsIfItDidNotExist() {
        String alicesJob = submitAs(alice, Api.job("alice's", "hello.yml"));
        Api.awaitTerminal(alicesJob);
        String unknown = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

        // the same answer, word for word, for alice's job and for a job that does not exist
        for (String id : List.of(alicesJob, unknown)) {
            String detail = "no job with id " + id;
            notFound(Api.as(bob).get("/api/v1/jobs/" + id), detail);
            notFound(Api.as(bob).get("/api/v1/jobs/" + id + "/wait?timeout=PT0S"), detail);
            notFound(Api.as(bob).get("/api/v1/jobs/" + id + "/events"), detail);
            notFound(Api.as(bob).get("/api/v1/jobs/" + id + "/log"), detail);
            notFound(Api.as(bob).get("/api/v1/jobs/" + id + "/log/stream"), detail);
            notFound(Api.as(bob).post("/api/v1/jobs/" + id + "/cancel"), detail);
            notFound(Api.as(bob).post("/api/v1/jobs/" + id + "/relaunch"), detail);
        }
        Api.as(alice).get("/api/v1/jobs/" + alicesJob).then().statusCode(200);
        given().get("/api/v1/jobs/" + alicesJob).then().statusCode(200); // the admin
    }

    @Test
    void listingsShowOnlyTheCallersJobsUnlessAdmin() {
        String alicesJob = submitAs(alice, Api.job("a", "hello.yml"));
        String bobsJob = submitAs(bob, Api.job("b", "hello.yml"));

        assertThat(ids(Api.as(alice).get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath()))
                .containsExactly(alicesJob);
        assertThat(ids(Api.as(bob).get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath()))
                .containsExactly(bobsJob);
        String bobsName = Api.as(bob).get("/api/v1/jobs/" + bobsJob).path("userId");
        String alicesName = Api.as(alice).get("/api/v1/jobs/" + alicesJob).path("userId");
        Api.as(bob).get("/api/v1/jobs?userId=" + alicesName).then().statusCode(403)
                .contentType("application/problem+json");
        assertThat(ids(Api.as(bob).get("/api/v1/jobs?tag=" + tag + "&userId=" + bobsName).then().statusCode(200)
                .extract().jsonPath())).containsExactly(bobsJob);

        assertThat(ids(given().get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath()))
                .containsExactlyInAnyOrder(alicesJob, bobsJob);
        assertThat(ids(given().get("/api/v1/jobs?tag=" + tag + "&userId=" + alicesName).then().statusCode(200)
                .extract().jsonPath())).containsExactly(alicesJob);
    }

    @Test
    void statisticsCountOnlyTheCallersJobsUnlessAdmin() {
        submitAs(alice, Api.job("a1", "hello.yml"));
        submitAs(alice, Api.job("a2", "hello.yml"));
        String bobsJob = submitAs(bob, Api.job("b", "hello.yml"));
        String alicesName = Api.as(alice).get("/api/v1/jobs?tag=" + tag).then().extract().path("items[0].userId");

        Api.as(alice).get("/api/v1/stats?tag=" + tag).then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(2));
        Api.as(bob).get("/api/v1/stats?tag=" + tag).then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(1));
        Api.as(bob).get("/api/v1/stats?userId=" + alicesName).then().statusCode(403)
                .contentType("application/problem+json");
        given().get("/api/v1/stats?tag=" + tag).then().statusCode(200).body("total", org.hamcrest.Matchers.equalTo(3));
        Api.awaitTerminal(bobsJob);
    }

    @Test
    void aJobMayNotDependOnAnotherUsersJob() {
        String alicesJob = submitAs(alice, Api.job("a", "hello.yml"));
        Api.as(bob).contentType(ContentType.JSON).body(Api.with(Api.job("b", "hello.yml"), "dependsOn", List.of(alicesJob)))
                .post("/api/v1/jobs").then().statusCode(400)
                .body("errors[0].field", equalTo("dependsOn"))
                .body("errors[0].reason", equalTo("no such jobs: " + alicesJob));
        Api.as(alice).contentType(ContentType.JSON).body(Api.with(Api.job("a2", "hello.yml"), "dependsOn", List.of(alicesJob)))
                .post("/api/v1/jobs").then().statusCode(201);
    }

    @Test
    void theEventStreamCarriesOnlyTheCallersJobs() {
        try (Gate gate = new Gate();
             SseClient bobs = SseClient.openAs(bob, "/api/v1/events?after=0&tag=" + tag);
             SseClient admins = SseClient.open("/api/v1/events?after=0&tag=" + tag)) {
            // alice's job runs first and ends first; bob's ends last, so everything of alice's came before
            String alicesJob = submitAs(alice, Api.job("a", "hello.yml"));
            Api.awaitTerminal(alicesJob);
            String bobsJob = submitAs(bob, gate.job("b"));
            gate.open();
            Api.awaitTerminal(bobsJob);

            List<Message> seenByBob = bobs.until(m -> m.event().equals("job.completed"), LONG);
            assertThat(seenByBob).isNotEmpty().allSatisfy(m -> assertThat(jobId(m)).isEqualTo(bobsJob));
            List<Message> seenByAdmin = admins.until(m -> m.event().equals("job.completed") && jobId(m).equals(bobsJob), LONG);
            assertThat(seenByAdmin).extracting(IsolationTest::jobId).contains(alicesJob, bobsJob);
        }
        // a replay from the store honours the owner too: alice's job.created was stored first
        try (SseClient replay = SseClient.openAs(bob, "/api/v1/events?after=0&tag=" + tag + "&type=job.created")) {
            Message first = replay.until(m -> true, LONG).get(0);
            Api.as(bob).get("/api/v1/jobs/" + jobId(first)).then().statusCode(200);
        }
        SseClient other = SseClient.openAs(bob, "/api/v1/events?userId=somebody-else");
        assertThat(other.status()).isEqualTo(403);
        other.close();
    }

    @Test
    void aNonAdminCannotResizeWorkersOrReadTheAudit() {
        Api.as(alice).contentType(ContentType.JSON).body(Map.of("workerCount", 0)).put("/api/v1/workers")
                .then().statusCode(403);
        Api.as(alice).get("/api/v1/audit").then().statusCode(403);
    }

    private static String jobId(Message message) {
        return JsonPath.from(message.data()).getString("jobId");
    }

    private static List<String> ids(JsonPath page) {
        return page.getList("items.id");
    }

    private static void notFound(io.restassured.response.Response response, String detail) {
        response.then().statusCode(404).contentType("application/problem+json").body("detail", equalTo(detail));
    }
}
