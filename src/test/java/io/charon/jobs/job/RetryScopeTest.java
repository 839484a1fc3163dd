package io.charon.jobs.job;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.MutableClock;
import io.charon.jobs.support.SettableClockProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/**
 * {@code retryScope} and {@code retryOn} through the REST API, with the real ansible-playbook: a
 * stored inventory of local hosts (and one whose port refuses connections), a playbook that fails
 * on the hosts a marker file names, and a clock the test moves past each retry delay.
 */
@QuarkusTest
@TestProfile(SettableClockProfile.class) // also lets inventories hold hosts with the local connection
class RetryScopeTest {

    private static final String RETRY_LINE = "charon-jobs: retrying only the hosts that failed or were unreachable: ";

    @Inject
    MutableClock clock;

    private Path markers;

    @BeforeEach
    void markerDirectory() throws IOException {
        markers = Files.createTempDirectory("charon-markers");
    }

    @AfterEach
    void removeMarkers() throws IOException {
        try (var files = Files.list(markers)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        Files.delete(markers);
    }

    @Test
    void aFailedHostsRetryRunsOnlyTheHostThatFailedAndTheJobKeepsTheOthersResults() {
        String inventory = inventory(localHosts("node-a", "node-b", "node-c"));
        mark("node-b");
        Map<String, Object> body = markedJob("only node-b again", inventory);
        body.put("retryScope", "failed-hosts");
        body.put("maxRetries", 2);
        String id = Api.submit(body);

        JsonPath waiting = awaitRetryScheduled(id, 1);
        assertThat(waiting.getInt("retryCount")).isEqualTo(1);
        assertThat(waiting.getString("attempts[0].outcome")).isEqualTo("failed");
        assertThat(waiting.getInt("hostStats.node-b.failed")).isEqualTo(1);
        assertThat(waiting.getMap("hostStats").keySet()).containsExactly("node-a", "node-b", "node-c");
        String firstLog = read(waiting.getString("attempts[0].logPath"));
        assertThat(firstLog).contains("RAN ON node-a", "RAN ON node-c").doesNotContain(RETRY_LINE);

        unmark("node-b");
        clock.advance(Duration.ofSeconds(70));
        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("completed");
        assertThat(job.getList("attempts.outcome")).containsExactly("failed", "completed");
        assertThat(job.getInt("retryCount")).isEqualTo(1);
        String retryLog = given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200).extract().asString();
        assertThat(retryLog).startsWith(RETRY_LINE + "node-b\n").contains("RAN ON node-b")
                .doesNotContain("node-a").doesNotContain("node-c");
        // node-a and node-c keep the results of the first attempt, node-b has those of the retry
        assertThat(job.getMap("hostStats").keySet()).containsExactly("node-a", "node-b", "node-c");
        for (String host : List.of("node-a", "node-b", "node-c")) {
            assertThat(job.getInt("hostStats." + host + ".failed")).as(host).isZero();
            assertThat(job.getInt("hostStats." + host + ".unreachable")).as(host).isZero();
            assertThat(job.getInt("hostStats." + host + ".ok")).as(host).isEqualTo(2);
        }
        assertThat(job.getString("errorMessage")).isNull();
    }

    @Test
    void failedAndUnreachableHostsAreRetriedTogetherWhenEitherKindIsListed() {
        Map<String, Map<String, String>> hosts = localHosts("node-a", "node-b");
        hosts.put("gone", Map.of("ansible_host", "127.0.0.1", "ansible_port", String.valueOf(refusingPort())));
        String inventory = inventory(hosts);
        mark("node-b");
        Map<String, Object> body = markedJob("failed and unreachable", inventory);
        body.put("retryScope", "failed-hosts");
        body.put("retryOn", List.of("unreachable"));
        body.put("maxRetries", 1);
        String id = Api.submit(body);

        JsonPath waiting = awaitRetryScheduled(id, 1);
        assertThat(waiting.getInt("hostStats.node-b.failed")).isEqualTo(1);
        assertThat(waiting.getInt("hostStats.gone.unreachable")).isEqualTo(1);

        unmark("node-b");
        clock.advance(Duration.ofSeconds(70));
        JsonPath job = Api.awaitTerminal(id);

        // the host that cannot be reached is unreachable again, and no retry is left
        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getString("errorMessage")).contains("gone").doesNotContain("node-b");
        String retryLog = given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200).extract().asString();
        assertThat(retryLog).startsWith(RETRY_LINE + "gone, node-b\n").contains("RAN ON node-b")
                .doesNotContain("node-a");
        assertThat(job.getInt("hostStats.node-a.ok")).isEqualTo(2);
        assertThat(job.getInt("hostStats.node-b.failed")).isZero();
        assertThat(job.getInt("hostStats.node-b.ok")).isEqualTo(2);
        assertThat(job.getInt("hostStats.gone.unreachable")).isEqualTo(1);
    }

    @Test
    void aRetryAfterAnAttemptInWhichNoHostFailedRunsAllHosts() {
        String inventory = inventory(localHosts("node-a", "node-b"));
        mark("node-b");
        Map<String, Object> body = markedJob("all hosts after a timeout", inventory);
        body.put("retryScope", "failed-hosts");
        body.put("maxRetries", 2);
        body.put("timeout", "PT5M");
        String id = Api.submit(body);
        awaitRetryScheduled(id, 1);

        // the retry of node-b hangs and times out: no host failed in it, no recap
        unmark("node-b");
        mark("node-b.wait");
        clock.advance(Duration.ofSeconds(70));
        awaitWaitingAtTheGate(id, 1);
        assertThat(given().get("/api/v1/jobs/" + id + "/log").asString()).startsWith(RETRY_LINE + "node-b\n");
        clock.advance(Duration.ofMinutes(6));
        JsonPath waiting = awaitRetryScheduled(id, 2);
        assertThat(waiting.getString("attempts[1].outcome")).isEqualTo("timeout");

        unmark("node-b.wait");
        clock.advance(Duration.ofSeconds(150));
        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).as(job.prettify()).isEqualTo("completed");
        assertThat(job.getList("attempts.outcome")).containsExactly("failed", "timeout", "completed");
        String lastLog = given().get("/api/v1/jobs/" + id + "/log").then().statusCode(200).extract().asString();
        assertThat(lastLog).doesNotContain(RETRY_LINE).contains("RAN ON node-a", "RAN ON node-b");
        assertThat(job.getInt("hostStats.node-a.ok")).isEqualTo(2);
        assertThat(job.getInt("hostStats.node-b.ok")).isEqualTo(2);
        assertThat(job.getInt("hostStats.node-b.failed")).isZero();
    }

    @Test
    void aFailedRunIsNotRetriedWhenRetryOnListsOnlyOtherKinds() {
        Map<String, Object> body = Api.job("fails, retried only on other kinds", "fail.yml");
        body.put("maxRetries", 2);
        body.put("retryDelay", "PT0S");
        body.put("retryOn", List.of("unreachable", "timeout"));
        String id = Api.submit(body);

        JsonPath job = Api.awaitTerminal(id);

        assertThat(job.getString("status")).isEqualTo("failed");
        assertThat(job.getInt("retryCount")).isZero();
        assertThat(job.getList("attempts.outcome")).containsExactly("failed");
        assertThat(Api.events(id)).extracting(e -> e.get("type")).doesNotContain("job.retried");
    }

    @Test
    void aTimeoutIsRetriedWhenTimeoutIsListedAndEndsTheJobWhenNot() {
        try (Gate gate = new Gate()) {
            Map<String, Object> body = gate.job("times out, then runs to its end");
            body.put("timeout", "PT2M");
            body.put("maxRetries", 1);
            body.put("retryDelay", "PT0S");
            body.put("retryOn", List.of("timeout"));
            String id = Api.submit(body);
            awaitWaitingAtTheGate(id, 0);

            clock.advance(Duration.ofMinutes(3));
            awaitWaitingAtTheGate(id, 1);
            gate.open();
            JsonPath job = Api.awaitTerminal(id);

            assertThat(job.getString("status")).isEqualTo("completed");
            assertThat(job.getInt("retryCount")).isEqualTo(1);
            assertThat(job.getList("attempts.outcome")).containsExactly("timeout", "completed");
            assertThat(job.getString("attempts[0].errorMessage")).startsWith("timed out after PT2M");
            assertThat(Api.events(id)).extracting(e -> e.get("type")).contains("job.retried");
        }
        try (Gate gate = new Gate()) {
            Map<String, Object> body = gate.job("times out, not retried");
            body.put("timeout", "PT2M");
            body.put("maxRetries", 1);
            body.put("retryDelay", "PT0S");
            body.put("retryOn", List.of("failed", "unreachable"));
            String id = Api.submit(body);
            awaitWaitingAtTheGate(id, 0);

            clock.advance(Duration.ofMinutes(3));
            JsonPath job = Api.awaitTerminal(id);

            assertThat(job.getString("status")).isEqualTo("timeout");
            assertThat(job.getInt("retryCount")).isZero();
            assertThat(job.getList("attempts.outcome")).containsExactly("timeout");
        }
    }

    @Test
    void theSettingsAreShownWithTheirDefaultsAndKeptOnRelaunch() {
        JsonPath plain = Api.get(Api.submit(Api.job("defaults", "hello.yml")));
        assertThat(plain.getString("retryScope")).isEqualTo("all");
        assertThat(plain.getList("retryOn")).containsExactly("failed", "unreachable", "timeout");

        Map<String, Object> body = Api.job("narrow retries", "hello.yml");
        body.put("retryScope", "failed-hosts");
        body.put("retryOn", List.of("timeout", "failed"));
        String id = Api.submit(body);
        JsonPath job = Api.awaitTerminal(id);
        assertThat(job.getString("retryScope")).isEqualTo("failed-hosts");
        assertThat(job.getList("retryOn")).containsExactly("failed", "timeout");

        String again = given().post("/api/v1/jobs/" + id + "/relaunch").then().statusCode(201).extract().path("id");
        JsonPath relaunched = Api.get(again);
        assertThat(relaunched.getString("retryScope")).isEqualTo("failed-hosts");
        assertThat(relaunched.getList("retryOn")).containsExactly("failed", "timeout");
        given().get("/api/v1/jobs?limit=100").then().statusCode(200)
                .body("items.find { it.id == '" + again + "' }.retryScope", equalTo("failed-hosts"));
    }

    @Test
    void theDefaultsSpelledOutAreTheSameRequestForAnIdempotencyKey() {
        String key = "retry-defaults-" + UUID.randomUUID();
        Map<String, Object> body = Api.job("keyed", "hello.yml");
        String id = keyed(key, body).then().statusCode(201).extract().path("id");

        body.put("retryScope", "all");
        body.put("retryOn", List.of("timeout", "unreachable", "failed"));
        keyed(key, body).then().statusCode(200).body("id", equalTo(id));
        body.put("retryScope", "failed-hosts");
        keyed(key, body).then().statusCode(409);
    }

    @Test
    void badRetrySettingsAnswer400NamingTheField() {
        List<Map.Entry<String, Consumer<Map<String, Object>>>> all = List.of(
                Map.entry("retryScope", b -> b.put("retryScope", "some-hosts")),
                Map.entry("retryScope", b -> b.put("retryScope", 2)),
                Map.entry("retryOn", b -> b.put("retryOn", List.of())),
                Map.entry("retryOn", b -> b.put("retryOn", "failed")),
                Map.entry("retryOn[1]", b -> b.put("retryOn", List.of("failed", "crashed"))),
                Map.entry("retryOn[2]", b -> b.put("retryOn", List.of("timeout", "failed", "timeout"))),
                Map.entry("retryOn[0]", b -> b.put("retryOn", Collections.singletonList(null))));
        for (Map.Entry<String, Consumer<Map<String, Object>>> bad : all) {
            Map<String, Object> body = Api.job("bad retry settings", "hello.yml");
            bad.getValue().accept(body);
            Api.post(body).then().statusCode(400).contentType("application/problem+json")
                    .body("type", containsString("invalid-request"))
                    .body("errors.field", hasItem(bad.getKey()));
        }
    }

    /** A job of marked.yml on {@code inventory}, its markers in this test's directory, retried a minute later. */
    private Map<String, Object> markedJob(String name, String inventory) {
        Map<String, Object> body = Api.job(name, "marked.yml");
        body.remove("inventory");
        body.put("inventoryRef", inventory);
        body.put("variables", Map.of("marker_dir", markers.toString()));
        body.put("retryDelay", "PT1M");
        return body;
    }

    private static Map<String, Map<String, String>> localHosts(String... names) {
        Map<String, Map<String, String>> hosts = new LinkedHashMap<>();
        for (String name : names) {
            hosts.put(name, Map.of("ansible_connection", "local"));
        }
        return hosts;
    }

    /** Stores an inventory of {@code hosts} and returns its name. */
    private static String inventory(Map<String, Map<String, String>> hosts) {
        String name = "retry-hosts-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "hosts", hosts)).post("/api/v1/inventories")
                .then().statusCode(201);
        return name;
    }

    /** A loopback port nothing listens on: ssh to it is refused at once, so its host is unreachable. */
    private static int refusingPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void mark(String host) {
        try {
            Files.createFile(markers.resolve(host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void unmark(String host) {
        try {
            Files.delete(markers.resolve(host));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response keyed(String key, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body).post("/api/v1/jobs");
    }

    /** Waits for attempt {@code number} to have put the job back in the queue; returns the job then. */
    private static JsonPath awaitRetryScheduled(String id, int number) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonPath job = Api.get(id);
            return "queued".equals(job.getString("status")) && job.getList("attempts").size() == number;
        });
        return Api.get(id);
    }

    /** Waits until the run after {@code closed} closed attempts has its log at the gate. */
    private static void awaitWaitingAtTheGate(String id, int closed) {
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            JsonPath job = Api.get(id);
            return "running".equals(job.getString("status")) && job.getList("attempts").size() == closed
                    && given().get("/api/v1/jobs/" + id + "/log").asString().contains("TASK [Wait for the gate file]");
        });
    }
}
