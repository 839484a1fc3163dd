package io.charon.jobs.job;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.MutableClock;
import io.charon.jobs.support.Processes;
import io.charon.jobs.support.SettableClockProfile;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

/**
 * A job's start deadline (it ends cancelled rather than start late) and a run's idle timeout (it
 * is stopped when it goes silent), through the API, with a clock the test moves instead of waiting.
 */
@QuarkusTest
@TestProfile(SettableClockProfile.class)
class TimeLimitsTest {

    private static final String DEADLINE_SWEEP = "charon-start-deadlines";

    @Inject
    MutableClock clock;

    @Inject
    Scheduler scheduler;

    private int workers;

    @BeforeEach
    void notePoolSize() {
        workers = Api.workers().getInt("workerCount");
    }

    @AfterEach
    void restore() {
        Api.setWorkers(workers);
        if (scheduler.isPaused(DEADLINE_SWEEP)) {
            scheduler.resume(DEADLINE_SWEEP);
        }
    }

    @Test
    void aJobThePausedPoolKeptWaitingPastItsStartDeadlineIsCancelledAndOneInTimeRuns() {
        Api.setWorkers(0);
        String late = Api.submit(Api.with(Api.job("too-late", "hello.yml"), "startDeadline", "PT10M"));
        String inTime = Api.submit(Api.with(Api.job("in-time", "hello.yml"), "startDeadline", "PT30M"));
        assertThat(Api.get(late).getString("startDeadline")).isEqualTo("PT10M");

        clock.advance(Duration.ofMinutes(11));
        JsonPath job = Api.awaitTerminal(late);

        assertThat(job.getString("status")).isEqualTo("cancelled");
        assertThat(job.getString("errorMessage")).isEqualTo("start deadline passed");
        assertThat(job.getString("startedAt")).isNull();
        assertThat(job.getList("attempts")).isEmpty();
        List<Map<String, Object>> events = Api.events(late);
        Map<String, Object> cancelled = events.get(events.size() - 1);
        assertThat(cancelled).containsEntry("type", "job.cancelled").containsEntry("message", "start deadline passed");
        assertThat(cancelled.get("data")).asInstanceOf(MAP).containsEntry("reason", "start deadline passed")
                .containsEntry("startDeadline", "PT10M").containsKey("deadline");
        assertThat(Api.status(inTime)).isEqualTo("queued");

        Api.setWorkers(workers);
        assertThat(Api.awaitTerminal(inTime).getString("status")).isEqualTo("completed");
        assertThat(Api.get(late).getString("status")).isEqualTo("cancelled");

        // a relaunch keeps the start deadline, which counts from the relaunch
        String again = given().post("/api/v1/jobs/" + late + "/relaunch").then().statusCode(201).extract().path("id");
        JsonPath relaunched = Api.awaitTerminal(again);
        assertThat(relaunched.getString("status")).isEqualTo("completed");
        assertThat(relaunched.getString("startDeadline")).isEqualTo("PT10M");
    }

    @Test
    void theClaimPassesOverAJobPastItsStartDeadlineThatIsNotCancelledYet() {
        scheduler.pause(DEADLINE_SWEEP);
        Api.setWorkers(0);
        String late = Api.submit(Api.with(Api.job("late-first-in-line", "hello.yml"), "startDeadline", "PT1M"));
        // lower priority and younger: claimed after the late job, were that claimable
        String next = Api.submit(Api.with(Api.job("next-in-line", "hello.yml"), "priority", "low"));

        clock.advance(Duration.ofMinutes(2));
        Api.setWorkers(1);
        assertThat(Api.awaitTerminal(next).getString("status")).isEqualTo("completed");

        JsonPath passedOver = Api.get(late);
        assertThat(passedOver.getString("status")).isEqualTo("queued");
        assertThat(passedOver.getList("attempts")).isEmpty();
        scheduler.resume(DEADLINE_SWEEP);
        JsonPath job = Api.awaitTerminal(late);
        assertThat(job.getString("status")).isEqualTo("cancelled");
        assertThat(job.getList("attempts")).isEmpty();
    }

    @Test
    void theStartDeadlineOfAScheduledJobCountsFromItsScheduledTime() {
        Api.setWorkers(0);
        Map<String, Object> body = Api.job("scheduled-with-deadline", "hello.yml");
        body.put("scheduledAt", clock.instant().plus(Duration.ofHours(1)).toString());
        body.put("startDeadline", "PT10M");
        String scheduled = Api.submit(body);
        // due now, with a minute to start: past it once the clock moves, as the scheduled job would be if
        // its deadline counted from its submission
        String marker = Api.submit(Api.with(Api.job("marker", "hello.yml"), "startDeadline", "PT1M"));
        assertThat(Api.status(scheduled)).isEqualTo("scheduled");

        clock.advance(Duration.ofMinutes(65));
        // one sweep cancels every job past its deadline in one transaction: the marker's tells it ran
        assertThat(Api.awaitTerminal(marker).getString("errorMessage")).isEqualTo("start deadline passed");
        Api.awaitStatus(scheduled, "queued");

        clock.advance(Duration.ofMinutes(10));
        JsonPath job = Api.awaitTerminal(scheduled);
        assertThat(job.getString("status")).isEqualTo("cancelled");
        assertThat(job.getString("errorMessage")).isEqualTo("start deadline passed");
    }

    @Test
    void aRetryAfterTheStartDeadlineStillRunsSinceTheJobStartedInTime() {
        Map<String, Object> body = Api.job("flaky-in-time", "fail.yml");
        body.put("startDeadline", "PT2M");
        body.put("maxRetries", 1);
        body.put("retryDelay", "PT1M");
        String id = Api.submit(body);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath job = Api.get(id);
            return "queued".equals(job.getString("status")) && job.getList("attempts").size() == 1;
        });

        clock.advance(Duration.ofMinutes(5));
        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getList("attempts.outcome")).containsExactly("failed", "failed");
    }

    @Test
    void aRunThatGoesSilentIsStoppedAsIdleWithItsWholeProcessTree() {
        try (Gate gate = new Gate()) {
            String id = Api.submit(Api.with(gate.job("goes-silent"), "idleTimeout", "PT30S"));
            awaitTaskStarted(id, "Wait for the gate file");
            assertThat(Processes.alive(id)).isPositive();

            clock.advance(Duration.ofMinutes(1));
            JsonPath job = Api.awaitTerminal(id);

            assertThat(job.getString("status")).isEqualTo("timeout");
            assertThat(job.getString("errorMessage")).isEqualTo("idle for PT30S: no output");
            assertThat(job.getString("idleTimeout")).isEqualTo("PT30S");
            assertThat(job.getString("output")).contains("TASK [Wait for the gate file]");
            assertThat(Api.events(id)).extracting(e -> e.get("type")).last().isEqualTo("job.timeout");
            await().atMost(Duration.ofSeconds(60)).until(() -> Processes.alive(id) == 0);
        }
    }

    @Test
    void aRunThatKeepsPrintingIsNotStoppedAsIdle() throws IOException {
        try (Gate gate = new Gate()) {
            Map<String, Object> body = gate.job("keeps-printing");
            body.put("playbook", "ticker.yml");
            body.put("idleTimeout", "PT1M");
            Path ticks = gate.path();
            String id = Api.submit(body);
            try {
                awaitTaskStarted(id, "Wait for each tick");
                // two minutes in all, but never a minute without a line
                for (int tick = 1; tick <= 3; tick++) {
                    clock.advance(Duration.ofSeconds(40));
                    Files.createFile(Path.of(ticks + "-" + tick));
                    String item = "(item=" + tick + ")";
                    await().atMost(Duration.ofSeconds(60)).until(() -> log(id).contains(item));
                }
                JsonPath job = Api.awaitTerminal(id);
                assertThat(job.getString("status")).isEqualTo("completed");
                assertThat(job.getString("errorMessage")).isNull();
            } finally {
                for (int tick = 1; tick <= 3; tick++) {
                    Path file = Path.of(ticks + "-" + tick);
                    if (!Files.exists(file)) {
                        Files.createFile(file);
                    }
                }
            }
        }
    }

    /**
     * Waits until the run has printed the task's banner and reported its start, the last things it
     * says before it waits in silence.
     */
    private static void awaitTaskStarted(String id, String task) {
        await().atMost(Duration.ofSeconds(90)).until(() -> log(id).contains("TASK [" + task + "]")
                && Api.events(id).stream().map(e -> e.get("data")).anyMatch(data -> data instanceof Map<?, ?> fields
                && "task_start".equals(fields.get("event")) && task.equals(fields.get("task"))));
    }

    private static String log(String id) {
        return given().get("/api/v1/jobs/" + id + "/log").asString();
    }
}
