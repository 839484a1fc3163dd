package io.charon.jobs.workflow;

import io.charon.jobs.support.Api;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

/**
 * The workflow calls of the approval, resume and timeout tests, as a client makes them: templates
 * of the test playbooks, workflows of template and approval nodes, runs and their nodes.
 */
final class WorkflowCalls {

    static final String PATH = "/api/v1/workflows";
    static final String RUNS = "/api/v1/workflow-runs";

    /** Names of this test's templates and workflows start with it. */
    final String prefix = "wfa-" + UUID.randomUUID().toString().substring(0, 8);
    /** outcome.yml: parameters outcome (ok or fail) and step. */
    final String outcome = prefix + "-outcome";

    WorkflowCalls() {
        template(outcome, "outcome.yml", List.of(
                Map.of("name", "outcome", "type", "choice", "choices", List.of("ok", "fail"), "default", "ok"),
                Map.of("name", "step", "type", "string", "default", "unnamed")));
    }

    /** Stores a template of {@code playbook} on localhost with {@code parameters}. */
    void template(String name, String playbook, List<Map<String, Object>> parameters) {
        given().contentType(ContentType.JSON).body(Map.of("name", name, "playbook", playbook,
                "inventory", List.of("localhost"), "parameters", parameters)).post("/api/v1/templates")
                .then().statusCode(201);
    }

    /** A node of outcome.yml that ends as {@code end} says. */
    Map<String, Object> node(String id, String end) {
        return templateNode(id, outcome, Map.of("outcome", end, "step", id));
    }

    static Map<String, Object> templateNode(String id, String template, Map<String, Object> parameters) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("id", id);
        node.put("template", template);
        node.put("parameters", parameters);
        return node;
    }

    static Map<String, Object> approval(String id, List<String> approvers, String timeout) {
        Map<String, Object> approval = new LinkedHashMap<>();
        approval.put("description", "may " + id + " go ahead?");
        approval.put("approvers", approvers);
        if (timeout != null) {
            approval.put("timeout", timeout);
        }
        return Map.of("id", id, "approval", approval);
    }

    static Map<String, Object> edge(String from, String to, String on) {
        return Map.of("from", from, "to", to, "on", on);
    }

    /** Stores the workflow; its name. */
    String create(List<Map<String, Object>> nodes, List<Map<String, Object>> edges) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 4);
        given().contentType(ContentType.JSON).body(Map.of("name", name, "nodes", nodes, "edges", edges))
                .post(PATH).then().statusCode(201);
        return name;
    }

    /** Launches the workflow as the default admin; the run's id. */
    static String launch(String workflow) {
        return launch(workflow, given());
    }

    static String launch(String workflow, RequestSpecification as) {
        return as.post(PATH + "/" + workflow + "/launch").then().statusCode(201).extract().path("id");
    }

    static JsonPath run(String id) {
        return given().get(RUNS + "/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the run ended, and returns it. */
    static JsonPath ended(String id) {
        await().atMost(Duration.ofSeconds(120)).until(() -> !run(id).getString("status").equals("running"));
        return run(id);
    }

    /** Waits until the node has {@code status}, and returns the run. */
    static JsonPath awaitNode(String id, String node, String status) {
        Supplier<String> now = () -> run(id).getString("nodes.find { it.id == '" + node + "' }.status");
        await().atMost(Duration.ofSeconds(120)).until(() -> status.equals(now.get()));
        return run(id);
    }

    static Map<String, String> nodeStatuses(JsonPath run) {
        Map<String, String> statuses = new HashMap<>();
        run.getList("nodes", Map.class).forEach(node -> statuses.put((String) node.get("id"), (String) node.get("status")));
        return statuses;
    }

    /** The node as the run's JSON shows it. */
    static Map<String, Object> node(JsonPath run, String node) {
        return run.getMap("nodes.find { it.id == '" + node + "' }");
    }

    static String jobOf(JsonPath run, String node) {
        return run.getString("nodes.find { it.id == '" + node + "' }.jobId");
    }

    /** Approves ({@code approve}) or denies the node as {@code as}, with {@code comment}; the answer's status. */
    static io.restassured.response.Response decide(RequestSpecification as, String id, String node, boolean approve,
                                                   String comment) {
        RequestSpecification request = as.contentType(ContentType.JSON);
        if (comment != null) {
            request.body(Map.of("comment", comment));
        }
        return request.post(RUNS + "/" + id + "/nodes/" + node + (approve ? "/approve" : "/deny"));
    }

    /** The audit entries of {@code action} on the run. */
    static List<Map<String, Object>> audited(String action, String id) {
        return given().get("/api/v1/audit?action=" + action + "&target=" + id).then().statusCode(200).extract()
                .jsonPath().getList("items");
    }

    static List<String> eventTypes(String job) {
        return Api.events(job).stream().map(event -> (String) event.get("type")).toList();
    }
}
