package io.charon.jobs.workflow;

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
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Artifacts and check mode in workflows, with the real ansible-playbook: a condition on the
 * parent's artifacts chooses the branch, the nodes after it receive them as variables (under the
 * template's own), and a node in check mode runs its job in check mode.
 */
@QuarkusTest
class WorkflowArtifactsTest {

    private static final String RUNS = "/api/v1/workflow-runs";

    private String prefix;
    private Path dir;

    @BeforeEach
    void setUp() throws IOException {
        prefix = "wfa-" + UUID.randomUUID().toString().substring(0, 8);
        dir = Files.createTempDirectory("charon-workflow-artifacts");
        template(prefix + "-publish", "publish.yml", Map.of(), List.of(Map.of("name", "level", "type", "string")));
        // the template's own "origin" wins over an artifact of that name
        template(prefix + "-receive", "receive.yml", Map.of("origin", "template"), List.of(
                Map.of("name", "expected_level", "type", "string"),
                Map.of("name", "received_file", "type", "string")));
        template(prefix + "-change", "change-file.yml", Map.of(), List.of(
                Map.of("name", "path", "type", "string"), Map.of("name", "content", "type", "string")));
    }

    @AfterEach
    void removeDirectory() throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static void template(String name, String playbook, Map<String, String> variables,
                                 List<Map<String, Object>> parameters) {
        given().contentType(ContentType.JSON).body(Map.of("name", name, "playbook", playbook,
                        "inventory", List.of("localhost"), "variables", variables, "parameters", parameters))
                .post("/api/v1/templates").then().statusCode(201);
    }

    private static Map<String, Object> node(String id, String template, Map<String, Object> parameters) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", id);
        node.put("template", template);
        node.put("parameters", parameters);
        return node;
    }

    private static Map<String, Object> edge(String from, String to, String when) {
        return Map.of("from", from, "to", to, "on", "success", "when", when);
    }

    private String workflow(List<Map<String, Object>> nodes, List<Map<String, Object>> edges) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 4);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "nodes", nodes, "edges", edges))
                .post("/api/v1/workflows").then().statusCode(201);
        return name;
    }

    private static JsonPath runToTheEnd(String workflow) {
        String id = given().post("/api/v1/workflows/" + workflow + "/launch").then().statusCode(201).extract().path("id");
        await().atMost(Duration.ofSeconds(120)).until(() -> !run(id).getString("status").equals("running"));
        return run(id);
    }

    private static JsonPath run(String id) {
        return given().get(RUNS + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static String node(JsonPath run, String node, String field) {
        return run.getString("nodes.find { it.id == '" + node + "' }." + field);
    }

    @Test
    void aConditionOnTheParentsArtifactsChoosesTheBranchAndTheChildReceivesThem() throws IOException {
        Path received = dir.resolve("received");
        String workflow = workflow(List.of(
                        node("measure", prefix + "-publish", Map.of("level", "high")),
                        node("scale-up", prefix + "-receive", Map.of("expected_level", "high",
                                "received_file", received.toString())),
                        node("scale-down", prefix + "-receive", Map.of("expected_level", "low"))),
                List.of(edge("measure", "scale-up", "artifacts.level == 'high' && artifacts.count == 2"),
                        edge("measure", "scale-down", "artifacts.level == 'low'")));

        JsonPath run = runToTheEnd(workflow);

        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(node(run, "scale-up", "status")).isEqualTo("completed");
        assertThat(node(run, "scale-down", "status")).isEqualTo("skipped");
        // the child's playbook asserted what arrived, and wrote it down
        assertThat(Files.readString(received)).isEqualTo("high 2\n");
        JsonPath child = Api.get(node(run, "scale-up", "jobId"));
        assertThat(child.getMap("variables")).containsEntry("level", "high").containsEntry("count", "2")
                .containsEntry("nested", "{\"list\":[1,2]}").containsEntry("raw", "{{ 7 * 6 }}")
                .containsEntry("origin", "template");
    }

    @Test
    void aNearerNodesArtifactsOverrideAFartherOnes() {
        String workflow = workflow(List.of(
                        node("first", prefix + "-publish", Map.of("level", "low")),
                        node("second", prefix + "-publish", Map.of("level", "high")),
                        node("last", prefix + "-receive", Map.of("expected_level", "high"))),
                List.of(edge("first", "second", "artifacts.level == 'low'"),
                        edge("second", "last", "artifacts.level == 'high'")));

        JsonPath run = runToTheEnd(workflow);

        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(node(run, "last", "status")).isEqualTo("completed");
        assertThat(Api.get(node(run, "last", "jobId")).getMap("variables")).containsEntry("level", "high");
    }

    @Test
    void aNodeInCheckModeRunsItsJobInCheckMode() {
        Path file = dir.resolve("planned");
        Map<String, Object> plan = node("plan", prefix + "-change", Map.of("path", file.toString(), "content", "planned"));
        plan.put("mode", "check");
        String workflow = workflow(List.of(plan), List.of());

        JsonPath run = runToTheEnd(workflow);

        assertThat(run.getString("status")).isEqualTo("completed");
        String job = node(run, "plan", "jobId");
        assertThat(Api.get(job).getString("mode")).isEqualTo("check");
        assertThat(Files.exists(file)).isFalse();
        assertThat(given().get("/api/v1/jobs/" + job + "/diff").then().statusCode(200).extract().jsonPath()
                .getString("entries[0].diff")).contains("+planned");
        assertThat(given().get("/api/v1/workflows/" + workflow).then().statusCode(200).extract().jsonPath()
                .getString("nodes[0].mode")).isEqualTo("check");
    }

    @Test
    void aNodesUnknownModeIsRefusedNamingTheField() {
        Map<String, Object> plan = node("plan", prefix + "-change", Map.of("path", "/tmp/x", "content", "x"));
        plan.put("mode", "dry");
        given().contentType(ContentType.JSON).body(Map.of("name", prefix + "-bad", "nodes", List.of(plan),
                        "edges", List.of())).post("/api/v1/workflows").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("nodes[0].mode"));
        given().get("/api/v1/workflows/" + prefix + "-bad").then().statusCode(404);
    }
}
