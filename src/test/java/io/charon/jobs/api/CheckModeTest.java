package io.charon.jobs.api;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * Check mode with the real ansible-playbook: a check changes nothing and its diff shows what it
 * would change; a run changes the file and has no diff; an unknown mode is a 400 naming the field.
 */
@QuarkusTest
class CheckModeTest {

    private Path dir;

    @BeforeEach
    void directory() throws IOException {
        dir = Files.createTempDirectory("charon-check-mode");
    }

    @AfterEach
    void removeDirectory() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private Map<String, Object> changeFile(Path file, String content) {
        Map<String, Object> body = Api.job("changes a file", "change-file.yml");
        body.put("variables", Map.of("path", file.toString(), "content", content));
        return body;
    }

    private static JsonPath diff(String id) {
        return given().get("/api/v1/jobs/" + id + "/diff").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCheckChangesNothingAndItsDiffShowsTheChange() throws IOException {
        Path file = dir.resolve("motd");
        Files.writeString(file, "before\n");
        Map<String, Object> body = changeFile(file, "after-" + UUID.randomUUID());
        body.put("mode", "check");
        String id = Api.submit(body);
        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getString("mode")).isEqualTo("check");
        assertThat(Files.readString(file)).isEqualTo("before\n");
        JsonPath diff = diff(id);
        assertThat(diff.getString("jobId")).isEqualTo(id);
        assertThat(diff.getBoolean("truncated")).isFalse();
        assertThat(diff.getList("entries")).hasSize(1);
        assertThat(diff.getString("entries[0].host")).isEqualTo("localhost");
        assertThat(diff.getString("entries[0].task")).isEqualTo("Write the file");
        assertThat(diff.getString("entries[0].diff")).contains("-before", "+" + ((Map<?, ?>) body.get("variables"))
                .get("content")).doesNotContain("\u001B");
    }

    @Test
    void aRunChangesTheFileAndHasNoDiff() throws IOException {
        Path file = dir.resolve("motd");
        String id = Api.submit(changeFile(file, "written"));
        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("completed");
        assertThat(job.getString("mode")).isEqualTo("run");
        assertThat(Files.readString(file)).isEqualTo("written\n");
        assertThat(diff(id).getList("entries")).isEmpty();
        assertThat(diff(id).getBoolean("truncated")).isFalse();
    }

    @Test
    void aSecretInTheDiffIsMasked() throws IOException {
        String secret = "diff-secret-" + UUID.randomUUID();
        Path file = dir.resolve("credentials");
        Map<String, Object> body = Api.job("checks a secret file", "change-file.yml");
        body.put("variables", Map.of("path", file.toString()));
        body.put("secretVariables", Map.of("content", secret));
        body.put("mode", "check");
        String id = Api.submit(body);

        assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");
        assertThat(Files.exists(file)).isFalse();
        String diff = diff(id).getString("entries[0].diff");
        assertThat(diff).contains("+********").doesNotContain(secret);
    }

    @Test
    void aTemplateLaunchMayAskForACheck() throws IOException {
        Path file = dir.resolve("launched");
        String template = "check-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", template, "playbook", "change-file.yml",
                "inventory", List.of("localhost"), "variables", Map.of("path", file.toString(), "content", "x")))
                .post("/api/v1/templates").then().statusCode(201);
        String id = given().contentType(ContentType.JSON).body(Map.of("mode", "check"))
                .post("/api/v1/templates/" + template + "/launch").then().statusCode(201).extract().path("id");

        assertThat(Api.awaitTerminal(id).getString("mode")).isEqualTo("check");
        assertThat(Files.exists(file)).isFalse();
        assertThat(diff(id).getList("entries")).hasSize(1);
        given().contentType(ContentType.JSON).body(Map.of("mode", "dry"))
                .post("/api/v1/templates/" + template + "/launch").then().statusCode(400)
                .body("errors.field", hasItem("mode"));
    }

    @Test
    void anUnknownModeIsRefusedNamingTheField() {
        Map<String, Object> body = Api.job("unknown mode", "hello.yml");
        body.put("mode", "dry-run");
        Api.post(body).then().statusCode(400).body("errors.field", equalTo(List.of("mode")))
                .body("errors[0].reason", equalTo("must be one of run, check"));
    }

    @Test
    void theDiffOfAnUnknownJobIsNotFound() {
        given().get("/api/v1/jobs/" + UUID.randomUUID() + "/diff").then().statusCode(404);
    }
}
