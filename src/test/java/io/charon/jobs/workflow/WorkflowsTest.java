package io.charon.jobs.workflow;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Workflows through the REST API, with the real ansible-playbook: success, failure and always
 * branches, CEL conditions choosing a branch, any and all convergence, cancel, versions, and one
 * 400 listing every problem of a bad workflow.
 */
@QuarkusTest
class WorkflowsTest {

    private static final String PATH = "/api/v1/workflows";
    private static final String RUNS = "/api/v1/workflow-runs";

    private String prefix;
    /** outcome.yml: parameters outcome (ok or fail) and step. */
    private String outcome;

    @BeforeEach
    void templates() {
        prefix = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        outcome = prefix + "-outcome";
        given().contentType(ContentType.JSON).body(Map.of("name", outcome, "playbook", "outcome.yml",
                "inventory", List.of("localhost"), "parameters", List.of(
                        Map.of("name", "outcome", "type", "choice", "choices", List.of("ok", "fail"), "default", "ok"),
                        Map.of("name", "step", "type", "string", "default", "unnamed"))))
                .post("/api/v1/templates").then().statusCode(201);
    }

    /** A node of outcome.yml that ends as {@code end} says. */
    private Map<String, Object> node(String id, String end, String... convergence) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", id);
        node.put("template", outcome);
        node.put("parameters", Map.of("outcome", end, "step", id));
        if (convergence.length > 0) {
            node.put("convergence", convergence[0]);
        }
        return node;
    }

    private static Map<String, Object> edge(String from, String to, String on, String... when) {
        Map<String, Object> edge = new LinkedHashMap<>();
        edge.put("from", from);
        edge.put("to", to);
        edge.put("on", on);
        if (when.length > 0) {
            edge.put("when", when[0]);
        }
        return edge;
    }

    private String create(List<Map<String, Object>> nodes, List<Map<String, Object>> edges) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 4);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "nodes", nodes, "edges", edges))
                .post(PATH).then().statusCode(201);
        return name;
    }

    private static JsonPath launch(String workflow) {
        return given().post(PATH + "/" + workflow + "/launch").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath run(String id) {
        return given().get(RUNS + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the run ended, and returns it. */
    private static JsonPath ended(String id) {
        await().atMost(Duration.ofSeconds(120)).until(() -> !run(id).getString("status").equals("running"));
        return run(id);
    }

    private static Map<String, String> nodeStatuses(JsonPath run) {
        Map<String, String> statuses = new HashMap<>();
        run.getList("nodes", Map.class).forEach(node -> statuses.put((String) node.get("id"), (String) node.get("status")));
        return statuses;
    }

    private static String jobOf(JsonPath run, String node) {
        return run.getString("nodes.find { it.id == '" + node + "' }.jobId");
    }

    private static String edgeState(JsonPath run, String from, String to) {
        return run.getString("edges.find { it.from == '" + from + "' && it.to == '" + to + "' }.state");
    }

    private static List<String> eventTypes(String job) {
        return Api.events(job).stream().map(event -> (String) event.get("type")).toList();
    }

    @Test
    void successFailureAndAlwaysEdgesChooseTheBranches() {
        String workflow = create(
                List.of(node("build", "ok"), node("deploy", "fail"), node("celebrate", "ok"), node("rollback", "ok"),
                        node("cleanup", "ok")),
                List.of(edge("build", "deploy", "success"), edge("deploy", "celebrate", "success"),
                        edge("deploy", "rollback", "failure"), edge("deploy", "cleanup", "always")));
        JsonPath started = launch(workflow);
        assertThat(started.getString("status")).isEqualTo("running");
        assertThat(nodeStatuses(started)).containsEntry("build", "started").containsEntry("deploy", "pending");

        JsonPath run = ended(started.getString("id"));
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("build", "completed",
                "deploy", "failed", "celebrate", "skipped", "rollback", "completed", "cleanup", "completed"));
        // deploy's failure was handled by its failure edge: the run completed
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(edgeState(run, "deploy", "celebrate")).isEqualTo("not-taken");
        assertThat(edgeState(run, "deploy", "rollback")).isEqualTo("taken");
        assertThat(run.getString("nodes.find { it.id == 'celebrate' }.jobId")).isNull();

        // each node ran its own real job, launched from the template
        String rollback = jobOf(run, "rollback");
        assertThat(Api.get(rollback).getString("template")).isEqualTo(outcome);
        assertThat(given().get("/api/v1/jobs/" + rollback + "/log").asString()).contains("step=rollback");
        assertThat(Api.get(jobOf(run, "deploy")).getString("status")).isEqualTo("failed");
        assertThat(eventTypes(jobOf(run, "build"))).contains("workflow.started", "workflow.node.started",
                "workflow.node.completed");
        assertThat(eventTypes(jobOf(run, "deploy"))).contains("workflow.node.failed", "workflow.node.skipped");
        List<String> ends = new ArrayList<>(eventTypes(jobOf(run, "rollback")));
        ends.addAll(eventTypes(jobOf(run, "cleanup")));
        assertThat(ends).containsOnlyOnce("workflow.completed");
    }

    @Test
    void aFailureNoEdgeHandlesFailsTheRun() {
        String workflow = create(List.of(node("first", "fail"), node("second", "ok")),
                List.of(edge("first", "second", "success")));
        JsonPath run = ended(launch(workflow).getString("id"));
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("message")).contains("first");
        assertThat(nodeStatuses(run)).containsEntry("first", "failed").containsEntry("second", "skipped");
        assertThat(eventTypes(jobOf(run, "first"))).contains("workflow.node.skipped", "workflow.failed");
    }

    @Test
    void aConditionOnTheExitCodeAndStatusChoosesTheBranch() {
        String workflow = create(
                List.of(node("check", "fail"), node("repair", "ok"), node("page", "ok"), node("report", "ok")),
                List.of(edge("check", "repair", "failure", "exitCode == 2 && status == 'failed'"
                                + " && 'localhost' in failedHosts && hostStats['localhost'].failed == 1"),
                        edge("check", "page", "failure", "exitCode != 2"),
                        edge("repair", "report", "success", "status == 'completed' && exitCode == 0")));
        JsonPath run = ended(launch(workflow).getString("id"));
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("check", "failed", "repair", "completed",
                "page", "skipped", "report", "completed"));
        assertThat(edgeState(run, "check", "page")).isEqualTo("not-taken");
        assertThat(run.getString("status")).isEqualTo("completed");
    }

    @Test
    void aConditionThatFailsAtRunTimeFailsItsEdgeAndTheRun() {
        String workflow = create(List.of(node("probe", "ok"), node("next", "ok")),
                List.of(edge("probe", "next", "always", "hostStats['no-such-host'].ok > 0")));
        JsonPath run = ended(launch(workflow).getString("id"));
        assertThat(edgeState(run, "probe", "next")).isEqualTo("error");
        assertThat(run.getString("edges[0].message")).contains("condition failed");
        assertThat(nodeStatuses(run)).containsEntry("probe", "completed").containsEntry("next", "skipped");
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(run.getString("message")).contains("probe -> next");
    }

    @Test
    void allWaitsForEveryEdgeAndAnyForOne() {
        String workflow = create(
                List.of(node("good", "ok"), node("bad", "fail"), node("both", "ok"), node("either", "ok", "any"),
                        node("mixed", "ok", "all")),
                List.of(edge("good", "both", "success"), edge("bad", "both", "success"),
                        edge("good", "either", "success"), edge("bad", "either", "success"),
                        edge("good", "mixed", "success"), edge("bad", "mixed", "failure")));
        JsonPath run = ended(launch(workflow).getString("id"));
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("good", "completed", "bad", "failed",
                "both", "skipped", "either", "completed", "mixed", "completed"));
        // bad's failure edge to mixed was taken: handled, so the run completed
        assertThat(run.getString("status")).isEqualTo("completed");
        String either = jobOf(run, "either");
        assertThat(given().get("/api/v1/jobs/" + either + "/log").asString()).containsOnlyOnce("step=either");
    }

    @Test
    void cancelEndsEveryNodeNotEndedAndItsJob() {
        String gate = prefix + "-gate";
        given().contentType(ContentType.JSON).body(Map.of("name", gate, "playbook", "gate.yml",
                        "inventory", List.of("localhost"), "parameters", List.of(Map.of("name", "gate", "type", "string",
                                "required", true))))
                .post("/api/v1/templates").then().statusCode(201);
        try (Gate closed = new Gate()) {
            String workflow = create(List.of(Map.of("id", "wait", "template", gate, "parameters",
                            Map.of("gate", closed.file().toString())), node("after", "ok")),
                    List.of(edge("wait", "after", "always")));
            String id = launch(workflow).getString("id");
            String waiting = jobOf(run(id), "wait");
            Api.awaitStatus(waiting, "running");

            JsonPath cancelled = given().post(RUNS + "/" + id + "/cancel").then().statusCode(200).extract().jsonPath();
            assertThat(cancelled.getString("status")).isEqualTo("cancelled");
            assertThat(nodeStatuses(cancelled)).containsEntry("wait", "cancelled").containsEntry("after", "cancelled");
            assertThat(Api.awaitTerminal(waiting).getString("status")).isEqualTo("cancelled");
            assertThat(eventTypes(waiting)).contains("workflow.cancelled");
            given().post(RUNS + "/" + id + "/cancel").then().statusCode(409);
            // nothing launched after the cancel
            assertThat(run(id).getString("nodes.find { it.id == 'after' }.jobId")).isNull();
        }
    }

    @Test
    void everyProblemOfABadWorkflowIsListedInOne400AndNothingIsStored() {
        String name = prefix + "-bad";
        Map<String, Object> unknownTemplate = Map.of("id", "ghost", "template", prefix + "-no-such-template");
        Map<String, Object> body = Map.of("name", name,
                "nodes", List.of(node("a", "ok"), node("b", "ok"), node("c", "ok"), node("a", "ok"), unknownTemplate,
                        node("d", "ok", "some")),
                "edges", List.of(edge("a", "nowhere", "success"), edge("b", "c", "success"), edge("c", "b", "success"),
                        edge("a", "d", "sometimes"), edge("a", "ghost", "success", "exitCode == 'two'"),
                        edge("a", "d", "failure", "status ==")));
        Response answer = given().contentType(ContentType.JSON).body(body).post(PATH);
        answer.then().statusCode(400).contentType("application/problem+json");
        Map<String, String> errors = new HashMap<>();
        answer.jsonPath().getList("errors", Map.class).forEach(e -> errors.put((String) e.get("field"), (String) e.get("reason")));
        assertThat(errors).containsOnlyKeys("nodes[3].id", "nodes[4].template", "nodes[5].convergence",
                "edges[0].to", "edges", "nodes[1]", "nodes[2]", "edges[3].on", "edges[4].when", "edges[5].when",
                "edges[5]");
        assertThat(errors.get("nodes[3].id")).contains("again");
        assertThat(errors.get("nodes[4].template")).contains("no template named");
        assertThat(errors.get("edges[0].to")).contains("nowhere");
        assertThat(errors.get("edges")).contains("cycle").contains("b").contains("c");
        assertThat(errors.get("nodes[1]")).contains("not reachable");
        assertThat(errors.get("edges[4].when")).contains("does not compile");
        assertThat(errors.get("edges[5].when")).contains("does not compile");
        given().get(PATH + "/" + name).then().statusCode(404);

        // a node's parameters are checked as its template's launch would check them
        Map<String, String> refused = new HashMap<>();
        given().contentType(ContentType.JSON).body(Map.of("name", name, "nodes", List.of(Map.of("id", "x",
                        "template", outcome, "parameters", Map.of("outcome", "maybe")))))
                .post(PATH).then().statusCode(400).extract().jsonPath().getList("errors", Map.class)
                .forEach(e -> refused.put((String) e.get("field"), (String) e.get("reason")));
        assertThat(refused).containsOnlyKeys("nodes[0].parameters.outcome");
    }

    @Test
    void everyChangeIsAVersionAndOnlyAdminsManage() {
        String workflow = create(List.of(node("one", "ok")), List.of());
        Map<String, Object> changed = Map.of("nodes", List.of(node("one", "ok"), node("two", "ok")),
                "edges", List.of(edge("one", "two", "always")));
        given().contentType(ContentType.JSON).body(changed).put(PATH + "/" + workflow).then().statusCode(200)
                .body("version", org.hamcrest.Matchers.equalTo(2));
        assertThat(given().get(PATH + "/" + workflow + "/versions").then().statusCode(200).extract().jsonPath()
                .getList("version")).containsExactly(1, 2);

        String operator = Api.token(prefix + "-operator", "operator");
        Api.as(operator).contentType(ContentType.JSON).body(Map.of("name", prefix + "-mine", "nodes",
                List.of(node("one", "ok")))).post(PATH).then().statusCode(403);
        // an operator launches it, sees the run, and another operator does not
        String id = Api.as(operator).post(PATH + "/" + workflow + "/launch").then().statusCode(201).extract().path("id");
        Api.as(operator).get(RUNS + "/" + id).then().statusCode(200);
        Api.as(Api.token(prefix + "-other", "operator")).get(RUNS + "/" + id).then().statusCode(404);
        assertThat(ended(id).getString("status")).isEqualTo("completed");
        assertThat(given().get(PATH + "/" + workflow + "/runs").then().statusCode(200).extract().jsonPath()
                .getList("id")).contains(id);

        given().delete(PATH + "/" + workflow).then().statusCode(204);
        given().get(PATH + "/" + workflow).then().statusCode(404);
        // the run keeps the definition it started with
        assertThat(nodeStatuses(run(id))).containsOnlyKeys("one", "two");
    }
}
