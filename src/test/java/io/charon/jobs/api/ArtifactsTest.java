package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a playbook publishes with set_stats, with the real ansible-playbook: shown as the job's
 * artifacts, masked like the log, and over charon.jobs.artifacts-max-bytes not kept, saying so.
 */
@QuarkusTest
class ArtifactsTest {

    @Test
    void whatThePlaybookPublishesShowsAsTheJobsArtifacts() {
        String tag = "artifacts-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Api.job("publishes", "publish.yml");
        body.put("variables", Map.of("level", "high"));
        body.put("tags", List.of(tag));
        JsonPath job = Api.awaitTerminal(Api.submit(body));

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getMap("artifacts")).containsEntry("level", "high").containsEntry("count", 2)
                .containsEntry("nested", Map.of("list", List.of(1, 2))).containsEntry("raw", "{{ 7 * 6 }}")
                .doesNotContainKey("token");
        // the listing shows them too
        assertThat(given().get("/api/v1/jobs?tag=" + tag).then().statusCode(200).extract().jsonPath()
                .getMap("items[0].artifacts")).containsEntry("level", "high");
    }

    @Test
    void aJobThatPublishesNothingHasEmptyArtifacts() {
        JsonPath job = Api.awaitTerminal(Api.submit(Api.job("publishes nothing", "hello.yml")));
        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getMap("artifacts")).isEmpty();
        assertThat(job.getString("mode")).isEqualTo("run");
    }

    @Test
    void aSecretInTheArtifactsIsMaskedAsInTheLog() {
        String secret = "artifact-secret-" + UUID.randomUUID();
        Map<String, Object> body = Api.job("publishes a secret", "publish.yml");
        body.put("secretVariables", Map.of("password", secret));
        String id = Api.submit(body);
        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getMap("artifacts")).containsEntry("token", "********");
        assertThat(given().get("/api/v1/jobs/" + id).asString()).doesNotContain(secret);
    }

    @Test
    void artifactsOverTheLimitAreNotKeptAndTheJobSaysSo() {
        Map<String, Object> body = Api.job("publishes too much", "publish.yml");
        body.put("variables", Map.of("padding_bytes", "70000")); // over the default 64 KiB
        String id = Api.submit(body);
        JsonPath job = Api.awaitTerminal(id);

        // the playbook's own result stands: only the artifacts are dropped
        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getMap("artifacts")).isEmpty();
        assertThat(Api.events(id)).anySatisfy(event -> assertThat((String) event.get("message"))
                .startsWith("artifacts not kept: ").contains("over the limit of 65536 (charon.jobs.artifacts-max-bytes)"));
        assertThat(given().get("/api/v1/jobs/" + id + "/log").asString())
                .contains("charon-jobs: artifacts not kept: ");
    }
}
