package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.Processes;
import io.charon.jobs.support.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With a shutdown delay, a stopping service keeps answering while its readiness says it drains,
 * and it claims nothing new: a job accepted then waits, stored, for the next start. A SIGTERM to
 * the service's whole process group stops the service, not its playbooks.
 */
class ShutdownDrainIT {

    @TempDir
    Path dataDir;

    @Test
    void readinessReportsTheDrainAndNothingNewStarts() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, Map.of("quarkus.shutdown.delay", "8S",
                "charon.jobs.shutdown-grace", "PT1S", "charon.jobs.dispatch-interval", "500ms")).start()) {
            service.request().get("/q/health/ready").then().statusCode(200);

            service.terminate();
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() ->
                    service.request().get("/q/health/ready").statusCode() == 503);
            JsonPath ready = service.request().get("/q/health/ready").then().statusCode(503).extract().jsonPath();
            assertThat(ready.getMap("checks.find { it.name == 'shutdown' }"))
                    .containsEntry("status", "DOWN").containsEntry("data", Map.of("draining", true));
            String accepted = service.submit(Api.job("accepted-while-draining", "hello.yml"));
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .until(() -> "queued".equals(service.status(accepted)));
            service.awaitExit();

            service.start();
            assertThat(service.awaitTerminal(accepted).getString("status")).isEqualTo("completed");
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
}
