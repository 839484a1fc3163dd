package io.charon.jobs;

import io.charon.jobs.support.Gate;
import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.TestSchemas;
import io.charon.jobs.support.ServiceProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service, with the real ansible-playbook, killed with SIGKILL in the middle of a
 * workflow run: one node's job running (held by a gate the test opens), an approval node waiting,
 * another approval waiting for its timeout, and nodes pending behind them. After the restart the
 * run goes on and ends, and every node ran exactly once: one job per template node, each
 * node's start recorded once, each approval decided once.
 */
class WorkflowCrashIT {

    private static final Map<String, String> SETTINGS = Map.of(
            // the run cut short is run again as a retry of the same job, not as a second job
            "charon.jobs.orphan-policy", "requeue",
            "charon.jobs.dispatch-interval", "500ms",
            "charon.jobs.shutdown-grace", "PT1S");
    /** Long enough to be waiting when the service is killed, short enough to pass while it is down or soon after. */
    private static final String TIMEOUT = "PT20S";

    @TempDir
    Path dataDir;

    @Test
    void aKilledServiceCarriesTheRunOnAndEveryNodeRunsOnce() throws Exception {
        killInTheMiddleOfARun(SETTINGS);
    }

    @Test
    @Tag("services")
    void aKilledServiceCarriesTheRunOnAndEveryNodeRunsOnceOnPostgresql() throws Exception {
        Map<String, String> settings = new HashMap<>(SETTINGS);
        settings.putAll(PostgresStoreProfile.packaged(
                TestSchemas.droppedAfterTheRun(PostgresStoreProfile.newSchemaName("charon_wfcrash_"))));
        killInTheMiddleOfARun(settings);
    }

    private void killInTheMiddleOfARun(Map<String, String> settings) throws Exception {
        try (ServiceProcess service = new ServiceProcess(dataDir, settings).start(); Gate gate = new Gate()) {
            String approver = "crash-approver";
            String token = service.request().contentType(ContentType.JSON).body(Map.of("userId", approver,
                    "role", "operator")).post("/api/v1/tokens").then().statusCode(201).extract().path("token");
            template(service, "crash-gate", "gate.yml", List.of(Map.of("name", "gate", "type", "string",
                    "required", true)));
            template(service, "crash-outcome", "outcome.yml", List.of(Map.of("name", "step", "type", "string",
                    "required", true), Map.of("name", "outcome", "type", "string", "default", "ok")));
            // hold (running at the kill) and review (waiting at the kill) lead to ship; expiry times out to escalate
            service.request().contentType(ContentType.JSON).body(Map.of("name", "crash", "nodes", List.of(
                    Map.of("id", "hold", "template", "crash-gate", "parameters", Map.of("gate", gate.file().toString())),
                    Map.of("id", "review", "approval", Map.of("approvers", List.of(approver))),
                    Map.of("id", "expiry", "approval", Map.of("approvers", List.of(approver), "timeout", TIMEOUT)),
                    step("ship"), step("escalate"), step("after-hold")),
                    "edges", List.of(edge("hold", "ship", "success"), edge("review", "ship", "success"),
                            edge("expiry", "escalate", "failure"), edge("hold", "after-hold", "success"))))
                    .post("/api/v1/workflows").then().statusCode(201);
            String id = service.request().post("/api/v1/workflows/crash/launch").then().statusCode(201)
                    .extract().path("id");
            String hold = field(run(service, id), "hold", "jobId");
            await().atMost(Duration.ofSeconds(60)).until(() -> "running".equals(service.status(hold)));
            JsonPath before = run(service, id);
            assertThat(status(before, "review")).isEqualTo("waiting");
            assertThat(status(before, "expiry")).isEqualTo("waiting");
            assertThat(status(before, "ship")).isEqualTo("pending");

            service.kill();
            gate.open();
            service.start();

            // the run goes on: hold's job, orphaned, runs again as its retry and completes
            assertThat(service.awaitTerminal(hold).getString("status")).isEqualTo("completed");
            service.request(token).contentType(ContentType.JSON).body(Map.of("comment", "after the crash"))
                    .post("/api/v1/workflow-runs/" + id + "/nodes/review/approve").then().statusCode(200);
            await().atMost(Duration.ofSeconds(120)).until(() -> !"running".equals(run(service, id).getString("status")));

            JsonPath run = run(service, id);
            assertThat(run.getString("status")).isEqualTo("completed");
            for (String node : List.of("hold", "review", "ship", "escalate", "after-hold")) {
                assertThat(status(run, node)).as(node).isEqualTo("completed");
            }
            assertThat(status(run, "expiry")).isEqualTo("failed");
            assertThat(field(run, "expiry", "decision.timedOut")).isEqualTo("true");
            assertThat(field(run, "review", "decision.by")).isEqualTo(approver);

            // exactly once: one job per template node, each started once, each approval decided once
            List<String> jobs = service.request().queryParam("userId", "it-admin").queryParam("limit", 100)
                    .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items.id");
            List<String> templateNodes = List.of("hold", "ship", "escalate", "after-hold");
            assertThat(jobs).containsExactlyInAnyOrderElementsOf(templateNodes.stream()
                    .map(node -> field(run, node, "jobId")).toList());
            for (String node : templateNodes) {
                String job = field(run, node, "jobId");
                List<String> types = service.request().get("/api/v1/jobs/" + job + "/events").then().statusCode(200)
                        .extract().jsonPath().getList("type");
                assertThat(types.stream().filter("workflow.node.started"::equals)).as(node).hasSize(1);
                if (!node.equals("hold")) {
                    assertThat(service.request().get("/api/v1/jobs/" + job + "/log").asString()).as(node)
                            .containsOnlyOnce("step=" + node);
                }
            }
            assertThat(service.job(hold).getList("attempts.outcome")).containsExactly("orphaned", "completed");
            assertThat(audited(service, "workflow.approve", id)).hasSize(1);
            assertThat(audited(service, "workflow.deny", id)).singleElement()
                    .satisfies(entry -> assertThat(entry).containsEntry("principal", "system"));
        }
    }

    private static void template(ServiceProcess service, String name, String playbook, List<Map<String, Object>> parameters) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "playbook", playbook,
                "inventory", List.of("localhost"), "parameters", parameters));
        body.put("maxRetries", 1);
        service.request().contentType(ContentType.JSON).body(body).post("/api/v1/templates").then().statusCode(201);
    }

    private static Map<String, Object> step(String id) {
        return Map.of("id", id, "template", "crash-outcome", "parameters", Map.of("step", id));
    }

    private static Map<String, Object> edge(String from, String to, String on) {
        return Map.of("from", from, "to", to, "on", on);
    }

    private static JsonPath run(ServiceProcess service, String id) {
        return service.request().get("/api/v1/workflow-runs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** A field of the node in the run's JSON, as text. */
    private static String field(JsonPath run, String node, String path) {
        return run.getString("nodes.find { it.id == '" + node + "' }." + path);
    }

    private static String status(JsonPath run, String node) {
        return field(run, node, "status");
    }

    private static List<Map<String, Object>> audited(ServiceProcess service, String action, String id) {
        return service.request().get("/api/v1/audit?action=" + action + "&target=" + id).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }
}
