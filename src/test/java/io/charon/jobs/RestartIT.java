package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.TestSchemas;
import io.charon.jobs.support.Processes;
import io.charon.jobs.support.ServiceProcess;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a 201 promises survives the service stopping and starting again, gracefully or not. */
class RestartIT {

    private static final Map<String, String> SETTINGS = Map.of(
            "charon.jobs.shutdown-grace", "PT1S",
            "charon.jobs.dispatch-interval", "500ms");

    @TempDir
    Path dataDir;

    @Test
    void acceptedJobsSurviveAGracefulRestartAndStillRun() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, SETTINGS).start(); Gate gate = new Gate()) {
            Map<String, Object> later = Api.job("scheduled-across-restart", "hello.yml");
            later.put("scheduledAt", Instant.now().plusSeconds(5).toString());
            String scheduled = service.submit(later);
            String running = service.submit(gate.job("running-at-shutdown"));
            Map<String, Object> child = Api.job("waits-for-the-running-one", "hello.yml");
            child.put("dependsOn", List.of(running));
            String dependent = service.submit(child);
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(service.status(running)));

            service.stop();
            service.start();

            assertThat(service.status(scheduled)).isIn("scheduled", "queued", "running", "completed");
            gate.open();
            for (String id : List.of(scheduled, running, dependent)) {
                assertThat(service.awaitTerminal(id).getString("status")).as(id).isEqualTo("completed");
            }
            JsonPath handedBack = service.job(running);
            assertThat(handedBack.getInt("retryCount")).as("a shutdown hand-back uses up no attempt").isZero();
        }
    }

    @Test
    void aKilledServiceSettlesItsOrphansAtStartUpByThePolicy() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, SETTINGS).start(); Gate gate = new Gate()) {
            Map<String, Object> retryable = gate.job("orphan-with-a-retry-left");
            retryable.put("maxRetries", 1);
            String requeued = service.submit(retryable);
            String failed = service.submit(gate.job("orphan-without-retries"));
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(service.status(requeued))
                    && "running".equals(service.status(failed)));

            service.kill();
            gate.open();
            service.start();

            JsonPath again = service.awaitTerminal(requeued);
            assertThat(again.getString("status")).isEqualTo("completed");
            assertThat(again.getInt("retryCount")).isEqualTo(1);
            JsonPath orphan = service.awaitTerminal(failed);
            assertThat(orphan.getString("status")).isEqualTo("failed");
            assertThat(orphan.getString("errorMessage")).isEqualTo("orphaned: the service stopped while it ran");
        }
    }

    @Test
    void aSecondProcessOnTheSameDataDirectoryExitsNamingItAndTheHolder() throws Exception {
        secondProcessOnTheSameDataDirectory(SETTINGS);
    }

    /** The store is shared then, but the data directory still holds the instance id and the run directories. */
    @Test
    @Tag("services")
    void aSecondProcessOnTheSameDataDirectoryExitsAlsoOnPostgresql() throws Exception {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.putAll(PostgresStoreProfile.packaged(
                TestSchemas.droppedAfterTheRun(PostgresStoreProfile.newSchemaName("charon_restart_"))));
        secondProcessOnTheSameDataDirectory(settings);
    }

    private void secondProcessOnTheSameDataDirectory(Map<String, String> settings) throws Exception {
        try (ServiceProcess first = new ServiceProcess(dataDir, settings).start(); Gate gate = new Gate();
             ServiceProcess second = new ServiceProcess(dataDir, settings, Map.of(), "second.log")) {
            String running = first.submit(gate.job("running-in-the-first"));
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(first.status(running)));

            assertThat(second.startExpectingExit()).as("the second process's exit code").isNotZero();

            assertThat(Files.readString(second.logFile())).as("the second process says why it stopped")
                    .contains(dataDir.toAbsolutePath().toString()).contains("pid " + first.pid());
            assertThat(first.status(running)).as("the first process's run goes on").isEqualTo("running");
            gate.open();
            JsonPath job = first.awaitTerminal(running);
            assertThat(job.getString("status")).isEqualTo("completed");
            assertThat(job.getInt("retryCount")).isZero();
        }
    }

    /**
     * A previous life's run that ignores SIGTERM makes start-up outlast the lease (it waits the
     * kill grace before SIGKILL): no sweep may settle the run before start-up has stopped its
     * process, and start-up reports what it settled itself.
     */
    @Test
    void startUpStopsThePreviousLifesRunsBeforeAnythingSettlesThem(@TempDir Path holdDir) throws Exception {
        Path hold = holdDir.resolve("release");
        Map<String, String> settings = Map.of(
                "charon.ansible.command", ChaosIT.FAKE_ANSIBLE.toString(),
                // twice the lease: the sweeps, every 200 ms, would have settled the run long before
                "charon.ansible.kill-grace", "PT4S",
                "charon.jobs.lease-duration", "PT2S",
                "charon.jobs.lease-renew-interval", "500ms",
                "charon.jobs.rescue-interval", "200ms",
                "charon.jobs.orphan-policy", "requeue",
                "charon.jobs.dispatch-interval", "500ms");
        try (ServiceProcess service = new ServiceProcess(dataDir, settings, Map.of("CHARON_FAKE_HOLD", hold.toString()))
                .start()) {
            Map<String, Object> body = Api.job("outlives-its-service", "hello.yml");
            body.put("maxRetries", 1);
            String id = service.submit(body);
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(service.status(id)));
            await().atMost(Duration.ofSeconds(30)).until(() -> Processes.alive(id) > 0);

            service.kill();
            try {
                service.start();

                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> service.request().get("/q/health/started").statusCode() == 200);
                JsonPath started = service.request().get("/q/health/started").then().extract().jsonPath();
                assertThat(started.getMap("checks.find { it.name == 'start-up' }.data"))
                        .containsEntry("abandonedRunsStopped", 1).containsEntry("orphansSettled", 1);
            } finally {
                // the fake run ignores SIGTERM and, in a session of its own, outlives the JVM: only this file ends it
                releaseHold(hold);
            }
            JsonPath job = service.awaitTerminal(id);
            assertThat(job.getString("status")).isEqualTo("completed");
            assertThat(job.getList("attempts.outcome")).containsExactly("orphaned", "completed");
        } finally {
            releaseHold(hold);
        }
    }

    private static void releaseHold(Path hold) throws java.io.IOException {
        if (!Files.exists(hold)) {
            Files.createFile(hold);
        }
    }
}
