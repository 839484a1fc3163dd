package io.charon.jobs.messaging;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The job-requests channel without a broker: requests sent in-process become jobs, or dead letters. */
@QuarkusTest
class LocalIntakeTest {

    @Inject
    LocalJobRequests local;

    @Inject
    RejectionLog rejections;

    private static byte[] request(String tag) {
        return ("{\"name\":\"from-channel\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"],\"tags\":[\"" + tag + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> jobsTagged(String tag) {
        return given().get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath().getList("items.id");
    }

    @Test
    void aValidRequestIsStoredBeforeItIsAcknowledgedAndRuns() throws Exception {
        String tag = "intake-" + UUID.randomUUID();
        local.request(request(tag), null).toCompletableFuture().get(30, TimeUnit.SECONDS);

        // acknowledged means stored: the job is there at once
        List<String> ids = jobsTagged(tag);
        assertThat(ids).hasSize(1);
        assertThat(Api.awaitTerminal(ids.get(0)).getString("userId")).isEqualTo("intake");
        assertThat(Api.status(ids.get(0))).isEqualTo("completed");
    }

    @Test
    void aRepeatedRequestWithTheSameKeyCreatesNoSecondJob() throws Exception {
        String tag = "intake-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        local.request(request(tag), key).toCompletableFuture().get(30, TimeUnit.SECONDS);
        local.request(request(tag), key).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(jobsTagged(tag)).hasSize(1);
    }

    @Test
    void anInvalidRequestIsDeadLetteredWithItsErrorsAndStoresNothing() throws Exception {
        String tag = "intake-" + UUID.randomUUID();
        byte[] invalid = ("{\"name\":\"bad\",\"playbook\":\"../../etc/passwd\",\"inventory\":[],\"tags\":[\"" + tag + "\"]}")
                .getBytes(StandardCharsets.UTF_8);
        local.request(invalid, "bad-" + tag).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(rejections.seen()).filteredOn(r -> ("bad-" + tag).equals(r.idempotencyKey())).singleElement()
                .satisfies(rejected -> {
                    assertThat(rejected.body()).isEqualTo(invalid);
                    assertThat(rejected.errors()).extracting(io.charon.jobs.job.FieldError::field)
                            .contains("playbook", "inventory");
                });
        assertThat(jobsTagged(tag)).isEmpty();

        byte[] notJson = "not json at all".getBytes(StandardCharsets.UTF_8);
        local.request(notJson, null).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(rejections.seen()).anySatisfy(r -> assertThat(r.body()).isEqualTo(notJson));
    }

    /** The channel validates as the API does: instants, durations and host ranges past their range name their field. */
    @Test
    void valuesPastTheirRangeAreDeadLetteredNamingTheField() throws Exception {
        String tag = "intake-" + UUID.randomUUID();
        byte[] invalid = ("{\"name\":\"far\",\"playbook\":\"hello.yml\",\"inventory\":[\"h[1:1000000]\"],"
                + "\"scheduledAt\":\"+300000000-01-01T00:00:00Z\",\"retryDelay\":\"PT9223372036854775807S\","
                + "\"tags\":[\"" + tag + "\"]}").getBytes(StandardCharsets.UTF_8);
        local.request(invalid, "far-" + tag).toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(rejections.seen()).filteredOn(r -> ("far-" + tag).equals(r.idempotencyKey())).singleElement()
                .satisfies(rejected -> assertThat(rejected.errors()).extracting(io.charon.jobs.job.FieldError::field)
                        .contains("scheduledAt", "retryDelay", "inventory[0]"));
        assertThat(jobsTagged(tag)).isEmpty();
    }

    @Test
    void everyStoredEventIsPublishedOnTheJobEventsChannel() {
        String id = Api.submit(Api.job("published", "hello.yml"));
        Api.awaitTerminal(id);
        // the local connector confirms at once: the relay's counter reaches every event of the job
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                given().get("/q/metrics").then().extract().asString().lines()
                        .anyMatch(line -> line.startsWith("charon_events_published_total")
                                && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) >= Api.events(id).size()));
    }
}
