package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.SseClient;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.charon.jobs.support.SecretScan.filesHolding;
import static io.charon.jobs.support.SecretScan.processesMentioning;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Secret variables reach the playbook, and nothing else: not the API, the events, the log file,
 * the job's output, the store's file, the process list while the playbook runs, nor the work
 * directory once it ended.
 */
@QuarkusTest
class SecretVariablesTest {

    @Test
    void aSecretReachesThePlaybookAndNothingElse() throws Exception {
        String secret = "s3cret-" + UUID.randomUUID();
        Map<String, Object> body;
        String id;
        try (Gate gate = new Gate(); SseClient events = SseClient.open("/api/v1/events?after=0")) {
            body = gate.job("uses a secret");
            body.put("playbook", "secret.yml");
            body.put("variables", Map.of("gate", ((Map<?, ?>) body.get("variables")).get("gate"), "expected_sha1", sha1(secret)));
            body.put("secretVariables", Map.of("password", secret));
            String created = Api.post(body).then().statusCode(201).extract().asString();
            assertThat(created).doesNotContain(secret).contains("\"secretVariables\":[\"password\"]");
            id = JsonPath.from(created).getString("id");

            // while the playbook runs: the secret is in one 0600 file of the run directory, nowhere else
            await().atMost(Duration.ofSeconds(60)).until(() -> logOf(id).contains("TASK [Wait for the gate file]"));
            assertThat(processesMentioning(secret)).isEmpty();
            List<Path> holding = filesHolding(workDir(), secret);
            assertThat(holding).hasSize(1);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(holding.get(0)))).isEqualTo("rw-------");
            assertThat(logOf(id)).contains("password=********").doesNotContain(secret);

            gate.open();
            JsonPath job = Api.awaitTerminal(id);
            assertThat(job.getString("status")).isEqualTo("completed");
            assertThat(job.getString("output")).contains("password=********").doesNotContain(secret);
            List<SseClient.Message> seen = events.until(m -> m.event().equals("job.completed") && m.data().contains(id),
                    Duration.ofSeconds(30));
            assertThat(seen).allSatisfy(m -> assertThat(m.data()).doesNotContain(secret));
        }

        String everything = given().get("/api/v1/jobs/" + id).asString()
                + given().get("/api/v1/jobs?limit=500").asString()
                + given().get("/api/v1/jobs/" + id + "/events").asString()
                + given().get("/api/v1/jobs/" + id + "/log").asString()
                + given().get("/api/v1/audit?limit=500").asString();
        assertThat(everything).doesNotContain(secret).contains("password=********");
        Path logFile = Path.of(Api.get(id).getString("logPath"));
        assertThat(Files.readString(logFile)).doesNotContain(secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logFile.getParent()))).isEqualTo("rwx------");
        assertThat(filesHolding(workDir(), secret)).isEmpty();
        // sealed at rest: the store's files never hold the text
        assertThat(filesHolding(dataDir(), secret)).isEmpty();
    }

    @Test
    void aRelaunchRunsWithTheSameSecretAndAnIdempotentRepeatIsRecognised() throws Exception {
        String secret = "again-" + UUID.randomUUID();
        try (Gate gate = new Gate()) {
            gate.open();
            Map<String, Object> body = gate.job("secret twice");
            body.put("playbook", "secret.yml");
            body.put("variables", Map.of("gate", ((Map<?, ?>) body.get("variables")).get("gate"), "expected_sha1", sha1(secret)));
            body.put("secretVariables", Map.of("password", secret));
            String key = UUID.randomUUID().toString();
            String id = given().header("Idempotency-Key", key).contentType("application/json").body(body)
                    .post("/api/v1/jobs").then().statusCode(201).extract().path("id");
            given().header("Idempotency-Key", key).contentType("application/json").body(body)
                    .post("/api/v1/jobs").then().statusCode(200).body("id", equalTo(id));
            body.put("secretVariables", Map.of("password", secret + "-other"));
            given().header("Idempotency-Key", key).contentType("application/json").body(body)
                    .post("/api/v1/jobs").then().statusCode(409);

            assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed");
            String again = given().post("/api/v1/jobs/" + id + "/relaunch").then().statusCode(201).extract().path("id");
            JsonPath relaunched = Api.awaitTerminal(again);
            assertThat(relaunched.getString("status")).isEqualTo("completed"); // the assert on the SHA-1 held
            assertThat(relaunched.getList("secretVariables")).containsExactly("password");
        }
    }

    @Test
    void secretVariablesFollowTheRulesOfVariables() {
        Api.post(Api.with(Api.job("clash", "hello.yml"), "secretVariables", Map.of("ansible_password", "x")))
                .then().statusCode(400).body("errors[0].field", equalTo("secretVariables.ansible_password"));
        Map<String, Object> both = Api.job("both", "hello.yml");
        both.put("variables", Map.of("token", "a"));
        both.put("secretVariables", Map.of("token", "b"));
        Api.post(both).then().statusCode(400).body("errors[0].field", equalTo("secretVariables.token"))
                .body("errors[0].reason", containsString("also set in variables"));
        Api.post(Api.with(Api.job("typed", "hello.yml"), "secretVariables", Map.of("n", 5)))
                .then().statusCode(400);
    }

    private static String logOf(String id) {
        return given().get("/api/v1/jobs/" + id + "/log").asString();
    }

    private static Path dataDir() {
        return Path.of(ConfigProvider.getConfig().getValue("charon.jobs.data-dir", String.class));
    }

    private static Path workDir() {
        return dataDir().resolve("work");
    }

    private static String sha1(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
