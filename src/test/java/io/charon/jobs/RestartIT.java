package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
            String scheduled = submit(service, later);
            String running = submit(service, gate.job("running-at-shutdown"));
            Map<String, Object> child = Api.job("waits-for-the-running-one", "hello.yml");
            child.put("dependsOn", List.of(running));
            String dependent = submit(service, child);
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(status(service, running)));

            service.stop();
            service.start();

            assertThat(status(service, scheduled)).isIn("scheduled", "queued", "running", "completed");
            gate.open();
            for (String id : List.of(scheduled, running, dependent)) {
                assertThat(awaitTerminal(service, id).getString("status")).as(id).isEqualTo("completed");
            }
            JsonPath handedBack = job(service, running);
            assertThat(handedBack.getInt("retryCount")).as("a shutdown hand-back uses up no attempt").isZero();
        }
    }

    @Test
    void aKilledServiceSettlesItsOrphansAtStartUpByThePolicy() throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, SETTINGS).start(); Gate gate = new Gate()) {
            Map<String, Object> retryable = gate.job("orphan-with-a-retry-left");
            retryable.put("maxRetries", 1);
            String requeued = submit(service, retryable);
            String failed = submit(service, gate.job("orphan-without-retries"));
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(status(service, requeued))
                    && "running".equals(status(service, failed)));

            service.kill();
            gate.open();
            service.start();

            JsonPath again = awaitTerminal(service, requeued);
            assertThat(again.getString("status")).isEqualTo("completed");
            assertThat(again.getInt("retryCount")).isEqualTo(1);
            JsonPath orphan = awaitTerminal(service, failed);
            assertThat(orphan.getString("status")).isEqualTo("failed");
            assertThat(orphan.getString("errorMessage")).isEqualTo("orphaned: the service stopped while it ran");
        }
    }

    private static String submit(ServiceProcess service, Map<String, Object> body) {
        return service.request().contentType(ContentType.JSON).body(body).post("/api/v1/jobs")
                .then().statusCode(201).extract().path("id");
    }

    private static JsonPath job(ServiceProcess service, String id) {
        return service.request().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static String status(ServiceProcess service, String id) {
        return job(service, id).getString("status");
    }

    private static JsonPath awaitTerminal(ServiceProcess service, String id) {
        await().atMost(Duration.ofSeconds(90)).until(() -> Api.TERMINAL.contains(service.request()
                .get("/api/v1/jobs/" + id + "/wait?timeout=PT10S").then().statusCode(200).extract().path("status")));
        return job(service, id);
    }
}
