package io.charon.jobs.workflow;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.charon.jobs.workflow.WorkflowCalls.approval;
import static io.charon.jobs.workflow.WorkflowCalls.audited;
import static io.charon.jobs.workflow.WorkflowCalls.awaitNode;
import static io.charon.jobs.workflow.WorkflowCalls.decide;
import static io.charon.jobs.workflow.WorkflowCalls.edge;
import static io.charon.jobs.workflow.WorkflowCalls.ended;
import static io.charon.jobs.workflow.WorkflowCalls.eventTypes;
import static io.charon.jobs.workflow.WorkflowCalls.jobOf;
import static io.charon.jobs.workflow.WorkflowCalls.launch;
import static io.charon.jobs.workflow.WorkflowCalls.nodeStatuses;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resuming a failed run through the REST API, with the real ansible-playbook: only what did not
 * complete runs again, from the failed node; completed nodes keep their jobs; the earlier attempts
 * stay visible.
 */
@QuarkusTest
class WorkflowResumeTest {

    private static String resume(String id, int status) {
        return given().post(WorkflowCalls.RUNS + "/" + id + "/resume").then().statusCode(status).extract().asString();
    }

    @Test
    void aResumeRerunsOnlyWhatFailedAndKeepsTheCompletedNodesJobs() throws IOException {
        WorkflowCalls calls = new WorkflowCalls();
        // marked.yml fails on a host while a marker file named after it exists
        String marked = calls.prefix + "-marked";
        calls.template(marked, "marked.yml", List.of(Map.of("name", "marker_dir", "type", "string", "required", true)));
        Path markers = Files.createTempDirectory("charon-markers");
        Path marker = Files.createFile(markers.resolve("localhost"));
        String workflow = calls.create(List.of(calls.node("build", "ok"),
                        WorkflowCalls.templateNode("deploy", marked, Map.of("marker_dir", markers.toString())),
                        calls.node("verify", "ok")),
                List.of(edge("build", "deploy", "success"), edge("deploy", "verify", "success")));
        String launcher = calls.prefix + "-launcher";
        String id = launch(workflow, Api.as(Api.token(launcher, "operator")));
        resume(id, 409); // running: nothing to resume

        JsonPath failed = ended(id);
        assertThat(failed.getString("status")).isEqualTo("failed");
        assertThat(nodeStatuses(failed)).containsExactlyInAnyOrderEntriesOf(Map.of("build", "completed",
                "deploy", "failed", "verify", "skipped"));
        String build = jobOf(failed, "build");
        String firstDeploy = jobOf(failed, "deploy");

        Files.delete(marker);
        JsonPath resumed = new JsonPath(resume(id, 200));
        assertThat(resumed.getString("status")).isEqualTo("running");
        assertThat(resumed.getInt("attempt")).isEqualTo(2);
        assertThat(resumed.getList("resumes.nodes", List.class)).containsExactly(List.of("deploy", "verify"));
        assertThat(resumed.getString("resumes[0].by")).isEqualTo("admin");
        assertThat(resumed.getString("resumes[0].message")).contains("deploy");

        JsonPath run = ended(id);
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(run.getString("message")).isNull();
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("build", "completed",
                "deploy", "completed", "verify", "completed"));
        // build was not run again: the same job, and no earlier attempt
        assertThat(jobOf(run, "build")).isEqualTo(build);
        assertThat(WorkflowCalls.node(run, "build")).doesNotContainKey("previousJobIds");
        // the launcher's jobs: build once, deploy twice, verify once
        assertThat(given().get("/api/v1/jobs?userId=" + launcher + "&limit=100").then().statusCode(200)
                .extract().jsonPath().getList("items.id")).containsExactlyInAnyOrder(build, firstDeploy,
                jobOf(run, "deploy"), jobOf(run, "verify"));
        // deploy ran again as a new job; the failed one stays findable
        assertThat(jobOf(run, "deploy")).isNotEqualTo(firstDeploy);
        assertThat(run.getList("nodes.find { it.id == 'deploy' }.previousJobIds")).containsExactly(firstDeploy);
        assertThat(run.getString("nodes.find { it.id == 'deploy' }.previousAttempts[0].status")).isEqualTo("failed");
        assertThat(run.getString("nodes.find { it.id == 'verify' }.previousAttempts[0].status")).isEqualTo("skipped");
        assertThat(Api.get(firstDeploy).getString("status")).isEqualTo("failed");
        assertThat(eventTypes(firstDeploy)).contains("workflow.resumed");
        assertThat(audited("workflow.resume", id)).singleElement().satisfies(entry ->
                assertThat(entry).containsEntry("principal", "admin"));
        resume(id, 409); // completed
    }

    @Test
    void aDeniedApprovalWaitsAgainWhenItsRunIsResumed() {
        WorkflowCalls calls = new WorkflowCalls();
        String approver = calls.prefix + "-bob";
        String token = Api.token(approver, "operator");
        String launcher = Api.token(calls.prefix + "-launcher", "operator");
        String workflow = calls.create(List.of(calls.node("build", "ok"), approval("review", List.of(approver), null),
                        calls.node("ship", "ok")),
                List.of(edge("build", "review", "success"), edge("review", "ship", "success")));
        String id = launch(workflow, Api.as(launcher));
        awaitNode(id, "review", "waiting");
        decide(Api.as(token), id, "review", false, "not today").then().statusCode(200);
        JsonPath denied = ended(id);
        assertThat(denied.getString("status")).isEqualTo("failed");
        String build = jobOf(denied, "build");

        // an approver sees the run but does not act on it; the launcher resumes it
        Api.as(token).post(WorkflowCalls.RUNS + "/" + id + "/resume").then().statusCode(403);
        Api.as(launcher).post(WorkflowCalls.RUNS + "/" + id + "/resume").then().statusCode(200);
        JsonPath waiting = awaitNode(id, "review", "waiting");
        assertThat(waiting.getMap("nodes.find { it.id == 'review' }.previousAttempts[0].decision"))
                .containsEntry("result", "denied").containsEntry("comment", "not today");
        assertThat(WorkflowCalls.node(waiting, "review")).doesNotContainKey("decision");

        decide(Api.as(token), id, "review", true, null).then().statusCode(200);
        JsonPath run = ended(id);
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(jobOf(run, "build")).isEqualTo(build);
        assertThat(run.getInt("attempt")).isEqualTo(2);
    }
}
