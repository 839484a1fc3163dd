package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.Processes;
import io.charon.jobs.support.ServiceProcess;
import io.charon.jobs.support.SseClient;
import io.charon.jobs.support.SseClient.Message;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stopping service: from SIGTERM on it reports the drain, takes no new job (503), ends its
 * event and log streams with a last message, and exits within its grace, well inside the
 * 60 s that the Kubernetes manifests allow. A SIGTERM to the service's whole process group
 * stops the service, not its playbooks.
 */
class ShutdownDrainIT {

    private static final Duration LONG = Duration.ofSeconds(90);
    /** Room for the checks made while the service drains (the streams' end, a refused job): they take milliseconds. */
    private static final Duration GRACE = Duration.ofSeconds(6);
    private static final Duration KILL_GRACE = Duration.ofSeconds(2);
    /**
     * Beyond the grace and the kill grace: the hand-back's commit, the HTTP layer's and the
     * store's shutdown and the JVM's exit, generous for a loaded machine. A stop that waited for
     * open streams (the HTTP layer's 60 s before) misses it by far; the 60 s of Kubernetes' grace
     * period are still 32 s away.
     */
    private static final Duration MARGIN = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    @Test
    void duringTheShutdownDelayTheServiceReportsTheDrainAndTakesNoNewJob() throws Exception {
        // the delay only has to outlast the three requests made in it
        try (ServiceProcess service = new ServiceProcess(dataDir, Map.of("quarkus.shutdown.delay", "4S",
                "charon.jobs.shutdown-grace", "PT1S", "charon.jobs.dispatch-interval", "500ms")).start()) {
            service.request().get("/q/health/ready").then().statusCode(200);

            service.terminate();
            await().atMost(LONG).pollInterval(Duration.ofMillis(100)).until(() ->
                    service.request().get("/q/health/ready").statusCode() == 503);
            JsonPath ready = service.request().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(ready.getMap("checks.find { it.name == 'shutdown' }"))
                    .containsEntry("status", "DOWN").containsEntry("data", Map.of("draining", true));
            assertRefused(submit(service, "refused-while-draining"));
            service.awaitExit();
        }
    }

    /**
     * Ctrl-C in a terminal, or a service manager that signals every process it started: the
     * running playbook must not get the signal, only the service, which lets it finish within the
     * shutdown grace.
     */
    @Test
    void aSignalToTheWholeProcessGroupLetsRunningJobsFinish() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, Map.of("charon.jobs.shutdown-grace", "PT60S",
                "charon.jobs.dispatch-interval", "500ms")).inGroupOfItsOwn().start(); Gate gate = new Gate()) {
            String running = service.submit(gate.job("running-at-the-signal"));
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(service.status(running)));
            await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(running) > 0);

            service.terminateGroup();
            gate.open();
            service.awaitExit();

            service.start();
            JsonPath job = service.awaitTerminal(running);
            assertThat(job.getString("status")).isEqualTo("completed");
            assertThat(job.getInt("retryCount")).isZero();
            assertThat(job.getList("attempts.outcome")).containsExactly("completed");
        }
    }

    @Test
    void streamsEndWithALastMessageNewJobsAreRefusedAndTheStopFitsTheGrace() throws Exception {
        try (Gate gate = new Gate();
             ServiceProcess service = new ServiceProcess(dataDir, Map.of(
                     "charon.jobs.shutdown-grace", "PT" + GRACE.toSeconds() + "S",
                     "charon.ansible.kill-grace", "PT" + KILL_GRACE.toSeconds() + "S")).start()) {
            // a job that outlasts the grace: it keeps the service draining until it is stopped and handed back
            String id = service.submit(gate.job("outlasts-the-grace"));
            try (SseClient events = SseClient.openAt(service.port(), ServiceProcess.ADMIN_TOKEN, "/api/v1/events?after=0");
                 SseClient log = SseClient.openAt(service.port(), ServiceProcess.ADMIN_TOKEN,
                         "/api/v1/jobs/" + id + "/log/stream")) {
                events.until(m -> "job.started".equals(m.event()), LONG);
                log.until(m -> m.data().contains("TASK [Wait for the gate file]"), LONG);

                service.terminate();

                // both streams end while the job still runs, each with the message that says to reconnect
                for (SseClient stream : List.of(events, log)) {
                    List<Message> rest = stream.remainingUntilEnd(LONG);
                    assertThat(rest).isNotEmpty();
                    Message last = rest.get(rest.size() - 1);
                    assertThat(last.event()).isEqualTo("service.stopping");
                    assertThat(last.id()).as("resuming goes on from the last real message").isNull();
                    assertThat(JsonPath.from(last.data()).getString("detail")).contains("reconnect");
                }
                assertRefused(submit(service, "refused-while-draining"));
                service.request().get("/q/health/ready").then().statusCode(503);
            }

            assertThat(service.exitsWithin(GRACE.plus(KILL_GRACE).plus(MARGIN)))
                    .as("exited within the grace, the kill grace and %s", MARGIN).isTrue();
            String output = Files.readString(service.logFile());
            assertThat(output).contains("stopping them and handing them back to the queue")
                    .doesNotContain("Timed out waiting for graceful shutdown")
                    .doesNotContain(" ERROR ")
                    .doesNotContainPattern("(?m)^\\s+at [a-z]");
        }
    }

    private static Response submit(ServiceProcess service, String name) {
        return service.request().contentType(ContentType.JSON).body(Api.job(name, "hello.yml")).post("/api/v1/jobs");
    }

    private static void assertRefused(Response response) {
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.header("Retry-After")).matches("\\d+");
        assertThat(response.jsonPath().getString("type")).endsWith("/service-stopping");
    }
}
