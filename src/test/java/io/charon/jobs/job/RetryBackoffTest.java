package io.charon.jobs.job;

import io.charon.jobs.dispatch.RetentionCleaner;
import io.charon.jobs.security.AuditRetention;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.MutableClock;
import io.charon.jobs.support.Processes;
import io.charon.jobs.support.SettableClockProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Time-driven rules (retries, retention of jobs and of the audit trail), with a clock the test moves instead of waiting. */
@QuarkusTest
@TestProfile(SettableClockProfile.class)
class RetryBackoffTest {

    @Inject
    MutableClock clock;

    @Inject
    RetentionCleaner retention;

    @Inject
    AuditRetention auditRetention;

    @Test
    void aJobPastItsTimeoutIsKilledAndEndsTimeoutWithItsPartialLog() {
        try (Gate gate = new Gate()) {
            Map<String, Object> body = gate.job("too-slow");
            body.put("timeout", "PT2M");
            String id = Api.submit(body);
            // the run has written part of its log, however long the machine took to get there
            await().atMost(Duration.ofSeconds(90)).until(() -> given().get("/api/v1/jobs/" + id + "/log").asString()
                    .contains("TASK [Wait for the gate file]"));

            clock.advance(Duration.ofMinutes(3));
            JsonPath job = Api.awaitTerminal(id);

            assertThat(job.getString("status")).isEqualTo("timeout");
            assertThat(job.getString("errorMessage")).isEqualTo("timed out after PT2M");
            assertThat(Duration.parse(job.getString("duration"))).isGreaterThanOrEqualTo(Duration.ofMinutes(2));
            assertThat(job.getString("output")).contains("TASK [Wait for the gate file]");
            assertThat(Api.events(id)).extracting(e -> e.get("type")).last().isEqualTo("job.timeout");
            await().atMost(Duration.ofSeconds(60)).until(() -> Processes.alive(id) == 0);
        }
    }

    @Test
    void aFailingJobIsRetriedOnTheBackoffScheduleKeepingEveryAttempt() {
        Map<String, Object> body = Api.job("flaky", "fail.yml");
        body.put("maxRetries", 2);
        body.put("retryDelay", "PT1M");
        String id = Api.submit(body);

        Instant firstEnd = awaitRetryScheduled(id, 1);
        JsonPath job = Api.get(id);
        assertThat(Instant.parse(job.getString("startAfter")))
                .isBetween(firstEnd.plusSeconds(54), firstEnd.plusSeconds(66));
        // not before its time (the limit only keeps a slow poll from failing the check)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(60)).until(() -> "queued".equals(Api.status(id)));

        clock.advance(Duration.ofSeconds(70));
        Instant secondEnd = awaitRetryScheduled(id, 2);
        assertThat(Instant.parse(Api.get(id).getString("startAfter")))
                .isBetween(secondEnd.plusSeconds(108), secondEnd.plusSeconds(132));

        clock.advance(Duration.ofSeconds(140));
        job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getInt("retryCount")).isEqualTo(2);
        assertThat(job.getList("attempts.number", Integer.class)).containsExactly(1, 2, 3);
        assertThat(job.getList("attempts.outcome")).containsOnly("failed");
        assertThat(job.getList("attempts.exitCode", Integer.class)).containsOnly(2);
        assertThat(job.getList("attempts.errorMessage", String.class)).allSatisfy(m -> assertThat(m).contains("Broken step"));
        assertThat(job.getList("attempts.logPath", String.class)).doesNotHaveDuplicates()
                .allSatisfy(log -> assertThat(Path.of(log)).exists());
        List<Map<String, Object>> retried = Api.events(id).stream().filter(e -> "job.retried".equals(e.get("type"))).toList();
        assertThat(retried).hasSize(2);
        assertThat(retried.get(0).get("data")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("attempt", 2).containsKey("nextStart").containsKey("reason");
    }

    @Test
    void retentionDeletesOldFinishedJobsButKeepsWhatWaitingJobsNeed() {
        String old = Api.submit(Api.job("old", "hello.yml"));
        String neededParent = Api.submit(Api.job("still-needed", "hello.yml"));
        String oldLog = Api.awaitTerminal(old).getString("logPath");
        Api.awaitTerminal(neededParent);
        Map<String, Object> child = Api.job("waits-a-year", "hello.yml");
        child.put("dependsOn", List.of(neededParent));
        child.put("scheduledAt", clock.instant().plus(Duration.ofDays(365)).toString());
        String waiting = Api.submit(child);
        assertThat(Path.of(oldLog)).exists();

        clock.advance(Duration.ofDays(31));
        retention.cleanUp();

        given().get("/api/v1/jobs/" + old).then().statusCode(404);
        given().get("/api/v1/jobs/" + old + "/events").then().statusCode(404);
        assertThat(Files.exists(Path.of(oldLog))).isFalse();
        assertThat(Api.status(neededParent)).isEqualTo("completed");
        assertThat(Api.status(waiting)).isEqualTo("scheduled");
        given().post("/api/v1/jobs/" + waiting + "/cancel").then().statusCode(200);
    }

    @Test
    void auditEntriesAreKeptForTheAuditRetentionThenDeleted() {
        String early = newTokenId("kept-90-days-");
        clock.advance(Duration.ofDays(89));
        auditRetention.cleanUp();
        assertThat(tokenCreations(early)).as("89 days old: kept").hasSize(1);

        String later = newTokenId("kept-longer-");
        clock.advance(Duration.ofDays(2));
        assertThat(auditRetention.cleanUp()).isPositive();
        assertThat(tokenCreations(early)).as("91 days old: deleted").isEmpty();
        assertThat(tokenCreations(later)).as("2 days old: kept").hasSize(1);
    }

    /** Creates a token (an audited action) and returns its id. */
    private static String newTokenId(String prefix) {
        String user = prefix + UUID.randomUUID().toString().substring(0, 8);
        Api.token(user, "viewer");
        return given().get("/api/v1/tokens").then().statusCode(200).extract().jsonPath()
                .getString("find { it.userId == '" + user + "' }.id");
    }

    private static List<Object> tokenCreations(String tokenId) {
        return given().get("/api/v1/audit?action=token.create&target=" + tokenId).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    /** Waits for the failed attempt {@code number} to put the job back in the queue; returns when that attempt ended. */
    private static Instant awaitRetryScheduled(String id, int number) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonPath job = Api.get(id);
            return "queued".equals(job.getString("status")) && job.getList("attempts").size() == number;
        });
        return Instant.parse(Api.get(id).getString("attempts[" + (number - 1) + "].endedAt"));
    }
}
