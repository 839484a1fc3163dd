package io.charon.jobs.dispatch;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Claim order, scheduling and pool resizing, with real playbook runs. */
@QuarkusTest
class DispatchOrderTest {

    private static final Duration LONG = Duration.ofSeconds(60);

    private final Gate gate = new Gate();

    @Inject
    Dispatcher dispatcher;

    @AfterEach
    void restore() {
        gate.open();
        Api.setWorkers(5);
    }

    @Test
    void withOneWorkerJobsStartByPriorityThenFifo() {
        Api.setWorkers(1);
        String blocker = Api.submit(gate.job("blocker"));
        Api.awaitStatus(blocker, "running");

        Map<String, String> submitted = new LinkedHashMap<>();
        for (String[] spec : new String[][]{{"low-1", "low"}, {"normal-1", "normal"}, {"critical-1", "critical"},
                {"high-1", "10"}, {"low-2", "1"}, {"critical-2", "critical"}, {"normal-2", "5"}}) {
            Map<String, Object> body = Api.job(spec[0], "hello.yml");
            body.put("priority", spec[1]);
            submitted.put(Api.submit(body), spec[0]);
        }
        // the single worker is busy: everything else waits in the queue
        submitted.keySet().forEach(id -> assertThat(Api.status(id)).isEqualTo("queued"));
        assertThat(Api.workers().getInt("activeJobs")).isEqualTo(1);

        gate.open();
        List<JsonPath> finished = submitted.keySet().stream().map(Api::awaitTerminal).toList();

        List<String> startOrder = finished.stream()
                .sorted(Comparator.comparing(j -> Instant.parse(j.getString("startedAt"))))
                .map(j -> submitted.get(j.getString("id"))).toList();
        assertThat(startOrder).containsExactly("critical-1", "critical-2", "high-1", "normal-1", "normal-2", "low-1", "low-2");
        assertThat(finished).allSatisfy(j -> assertThat(j.getString("status")).isEqualTo("completed"));
    }

    @Test
    void aScheduledJobWaitsForItsTimeThenRunsPromptly() {
        Map<String, Object> body = Api.job("later", "hello.yml");
        body.put("scheduledAt", Instant.now().plusSeconds(2).toString());
        String id = Api.submit(body);
        assertThat(Api.status(id)).isEqualTo("scheduled");
        Instant at = Instant.parse(Api.get(id).getString("scheduledAt"));

        JsonPath job = Api.awaitTerminal(id);
        // promptly: a timer set for its time woke the dispatcher, which did not wait for a later tick
        await().atMost(LONG).until(() -> at.equals(dispatcher.dueTimerFired()));

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(Instant.parse(job.getString("startedAt"))).isAfterOrEqualTo(at);
        assertThat(Api.events(id)).extracting(e -> e.get("type"))
                .startsWith("job.created", "job.scheduled", "job.queued", "job.started");
    }

    @Test
    void resizingThePoolTakesEffectWithoutInterruptingRunningJobs() {
        Api.setWorkers(1);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(Api.submit(gate.job("gated-" + i)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().filter(id -> Api.status(id).equals("running")).count() == 1);
        String first = ids.stream().filter(id -> Api.status(id).equals("running")).findFirst().orElseThrow();
        assertThat(Api.workers().getInt("workerCount")).isEqualTo(1);

        Api.setWorkers(3);

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> Api.status(id).equals("running")));
        assertThat(Api.workers().getInt("activeJobs")).isGreaterThanOrEqualTo(3);

        Api.setWorkers(1); // shrinking does not stop what runs
        assertThat(Api.status(first)).isEqualTo("running");
        gate.open();
        ids.forEach(id -> assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed"));
    }

    @Test
    void waitAnswersAsSoonAsTheJobEndsOrWithItsStateAtTheTimeout() throws Exception {
        String id = Api.submit(gate.job("waited-on"));
        Api.awaitStatus(id, "running");

        JsonPath early = io.restassured.RestAssured.given().get("/api/v1/jobs/" + id + "/wait?timeout=PT0.3S")
                .then().statusCode(200).extract().jsonPath();
        assertThat(early.getString("status")).isEqualTo("running");

        // the longest wait (charon.jobs.max-wait): an answer before it, within the safety limit, came with the end
        var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> io.restassured.RestAssured.given()
                .get("/api/v1/jobs/" + id + "/wait?timeout=PT5M").then().statusCode(200).extract().jsonPath());
        gate.open();
        JsonPath done = waiting.get(4, java.util.concurrent.TimeUnit.MINUTES);

        assertThat(done.getString("status")).isEqualTo("completed");
    }
}
