package io.charon.jobs.job;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.Processes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Cancellation, timeouts, dependencies and relaunch, with real playbook runs. */
@QuarkusTest
class LifecycleControlTest {

    private final Gate gate = new Gate();

    @AfterEach
    void openGate() {
        gate.open();
    }

    @Test
    void cancellingARunningJobKillsItsWholeProcessTreeAndKeepsThePartialLog() {
        String id = Api.submit(gate.job("to-cancel"));
        Api.awaitStatus(id, "running");
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(id) > 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/api/v1/jobs/" + id + "/log").asString()
                .contains("TASK [Wait for the gate file]"));

        JsonPath cancelled = given().post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200)
                .extract().jsonPath();

        assertThat(cancelled.getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.getString("output")).contains("TASK [Wait for the gate file]");
        assertThat(cancelled.getList("attempts.outcome")).containsExactly("cancelled");
        await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(id) == 0);
        assertThat(Api.events(id)).extracting(e -> e.get("type")).last().isEqualTo("job.cancelled");
        given().get("/api/v1/jobs/" + id + "/log").then().body(containsString("TASK [Wait for the gate file]"));
        // a cancelled job never runs again (the limit only keeps a slow poll from failing the check)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(60)).until(() -> "cancelled".equals(Api.status(id)));
    }

    @Test
    void cancellingAWaitingJobEndsItAtOnceAndAFinishedOneIsAConflict() {
        Map<String, Object> later = Api.job("never", "hello.yml");
        later.put("scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString());
        String scheduled = Api.submit(later);

        given().post("/api/v1/jobs/" + scheduled + "/cancel").then().statusCode(200).body("status", equalTo("cancelled"));
        assertThat(Api.get(scheduled).getList("attempts")).isEmpty();

        given().post("/api/v1/jobs/" + scheduled + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("type", containsString("job-conflict"));
        given().post("/api/v1/jobs/00000000-0000-0000-0000-000000000000/cancel").then().statusCode(404);
    }

    @Test
    void dependentsRunInOrderAndFailInCascadeWithoutRunning() {
        String first = Api.submit(Api.job("first", "hello.yml"));
        String second = Api.submit(dependent("second", "hello.yml", first, "critical"));
        String third = Api.submit(dependent("third", "hello.yml", second, "critical"));
        List<JsonPath> chain = List.of(Api.awaitTerminal(first), Api.awaitTerminal(second), Api.awaitTerminal(third));
        assertThat(chain).allSatisfy(j -> assertThat(j.getString("status")).isEqualTo("completed"));
        for (int i = 1; i < chain.size(); i++) {
            assertThat(Instant.parse(chain.get(i).getString("startedAt")))
                    .isAfterOrEqualTo(Instant.parse(chain.get(i - 1).getString("completedAt")));
        }

        String broken = Api.submit(Api.job("broken-parent", "fail.yml"));
        String child = Api.submit(dependent("child", "hello.yml", broken, "normal"));
        String grandchild = Api.submit(dependent("grandchild", "hello.yml", child, "normal"));
        assertThat(Api.awaitTerminal(broken).getString("status")).isEqualTo("failed");
        JsonPath failedChild = Api.awaitTerminal(child);
        JsonPath failedGrandchild = Api.awaitTerminal(grandchild);
        assertThat(failedChild.getString("status")).isEqualTo("failed");
        assertThat(failedChild.getString("errorMessage")).isEqualTo("dependency " + broken + " ended failed");
        assertThat(failedChild.getString("startedAt")).isNull();
        assertThat(failedGrandchild.getString("errorMessage")).isEqualTo("dependency " + child + " ended failed");

        // a job that depends on one already failed fails at once
        String late = Api.submit(dependent("too-late", "hello.yml", broken, "normal"));
        assertThat(Api.status(late)).isEqualTo("failed");
    }

    @Test
    void cancellingAParentFailsItsDependents() {
        String parent = Api.submit(gate.job("parent"));
        String child = Api.submit(dependent("child-of-cancelled", "hello.yml", parent, "high"));
        Api.awaitStatus(parent, "running");
        assertThat(Api.status(child)).isEqualTo("queued");

        given().post("/api/v1/jobs/" + parent + "/cancel").then().statusCode(200);

        JsonPath failed = Api.awaitTerminal(child);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(failed.getString("errorMessage")).isEqualTo("dependency " + parent + " ended cancelled");
    }

    @Test
    void relaunchRunsAFinishedJobAgainAsANewJob() {
        Map<String, Object> body = Api.job("again", "echo.yml");
        body.put("variables", Map.of("message", "second time"));
        body.put("tags", List.of("relaunched"));
        String original = Api.submit(body);
        Api.awaitTerminal(original);

        String location = given().post("/api/v1/jobs/" + original + "/relaunch").then().statusCode(201)
                .extract().header("Location");
        String copy = location.substring(location.lastIndexOf('/') + 1);

        assertThat(copy).isNotEqualTo(original);
        JsonPath job = Api.awaitTerminal(copy);
        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getString("playbook")).isEqualTo("echo.yml");
        assertThat(job.getMap("variables")).containsEntry("message", "second time");
        assertThat(job.getList("tags")).containsExactly("relaunched");
        assertThat(Api.events(copy).get(0).get("message")).asString().contains("relaunch of " + original);

        String running = Api.submit(gate.job("not-yet"));
        given().post("/api/v1/jobs/" + running + "/relaunch").then().statusCode(409);
    }

    private static Map<String, Object> dependent(String name, String playbook, String parent, String priority) {
        Map<String, Object> body = Api.job(name, playbook);
        body.put("dependsOn", List.of(parent));
        body.put("priority", priority);
        return body;
    }
}
