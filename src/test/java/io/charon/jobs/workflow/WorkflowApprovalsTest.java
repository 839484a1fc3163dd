package io.charon.jobs.workflow;

import io.charon.jobs.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
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
import static io.charon.jobs.workflow.WorkflowCalls.run;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Approval nodes through the REST API, with the real ansible-playbook: an approval waits, its
 * approvers (or an admin) approve or deny it and the run takes the success or the failure branch;
 * anyone else is refused; a bad approval is a 400 naming its fields.
 */
@QuarkusTest
class WorkflowApprovalsTest {

    private WorkflowCalls calls;
    private String approver;
    private String approverToken;

    @BeforeEach
    void approver() {
        calls = new WorkflowCalls();
        approver = calls.prefix + "-alice";
        approverToken = Api.token(approver, "operator");
    }

    private RequestSpecification as(String token) {
        return Api.as(token);
    }

    /** build, then review (an approval), then deploy on approval or rollback on denial. */
    private String release(String timeout) {
        return calls.create(List.of(calls.node("build", "ok"), approval("review", List.of(approver), timeout),
                        calls.node("deploy", "ok"), calls.node("rollback", "ok")),
                List.of(edge("build", "review", "success"), edge("review", "deploy", "success"),
                        edge("review", "rollback", "failure")));
    }

    @Test
    void anApprovedNodeCompletesAndTakesItsSuccessEdges() {
        String id = launch(release("PT4H"));
        JsonPath waiting = awaitNode(id, "review", "waiting");
        assertThat(waiting.getString("status")).isEqualTo("running");
        Map<String, Object> review = WorkflowCalls.node(waiting, "review");
        assertThat(review).containsKeys("waitingUntil", "updatedAt").doesNotContainKeys("jobId", "decision");
        assertThat(review.get("approval")).isEqualTo(Map.of("description", "may review go ahead?",
                "approvers", List.of(approver), "timeout", "PT4H"));
        assertThat(nodeStatuses(waiting)).containsEntry("build", "completed").containsEntry("deploy", "pending");
        // waiting is recorded on the job whose end made the node wait
        assertThat(eventTypes(jobOf(waiting, "build"))).contains("workflow.node.waiting");

        JsonPath decided = decide(as(approverToken), id, "review", true, "looks good").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Object> decision = decided.getMap("nodes.find { it.id == 'review' }.decision");
        assertThat(decision).containsEntry("result", "approved").containsEntry("by", approver)
                .containsEntry("comment", "looks good").containsKey("at");
        assertThat(decided.getString("nodes.find { it.id == 'review' }.status")).isEqualTo("completed");
        assertThat(decided.getString("nodes.find { it.id == 'review' }.waitingUntil")).isNull();

        JsonPath run = ended(id);
        // the approval's end is recorded on the run's latest ended job, build's, beside build's own
        assertThat(eventTypes(jobOf(run, "build")).stream().filter("workflow.node.completed"::equals)).hasSize(2);
        assertThat(run.getString("status")).isEqualTo("completed");
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("build", "completed",
                "review", "completed", "deploy", "completed", "rollback", "skipped"));
        assertThat(given().get("/api/v1/jobs/" + jobOf(run, "deploy") + "/log").asString()).contains("step=deploy");
        assertThat(audited("workflow.approve", id)).singleElement().satisfies(entry -> {
            assertThat(entry).containsEntry("principal", approver);
            assertThat((String) entry.get("detail")).contains("review").contains("looks good");
        });
        // decided once: a second decision finds it decided
        decide(as(approverToken), id, "review", false, null).then().statusCode(409);
    }

    @Test
    void aDeniedNodeFailsAndTakesItsFailureEdgesAndOnlyApproversOrAdminsDecide() {
        String launcher = calls.prefix + "-launcher";
        String launcherToken = Api.token(launcher, "operator");
        String workflow = calls.create(List.of(approval("gate", List.of(approver), null), calls.node("ship", "ok"),
                        calls.node("cleanup", "ok")),
                List.of(edge("gate", "ship", "success"), edge("gate", "cleanup", "failure")));
        String id = launch(workflow, as(launcherToken));
        // a root approval waits at once, with no timeout
        JsonPath waiting = awaitNode(id, "gate", "waiting");
        assertThat(WorkflowCalls.node(waiting, "gate")).doesNotContainKey("waitingUntil");

        // the launcher is no approver; another operator does not even see the run; a viewer may not decide
        decide(as(launcherToken), id, "gate", true, null).then().statusCode(403);
        decide(as(Api.token(calls.prefix + "-stranger", "operator")), id, "gate", true, null).then().statusCode(404);
        decide(as(Api.token(approver, "viewer")), id, "gate", true, null).then().statusCode(403);
        decide(as(approverToken), id, "nowhere", true, null).then().statusCode(404);
        decide(as(approverToken), id, "ship", true, null).then().statusCode(409);
        decide(as(approverToken), id, "gate", false, "x".repeat(1_001)).then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("comment"));
        assertThat(run(id).getString("nodes.find { it.id == 'gate' }.status")).isEqualTo("waiting");

        // the approver sees the run to decide it, though it is not theirs
        as(approverToken).get(WorkflowCalls.RUNS + "/" + id).then().statusCode(200);
        decide(as(approverToken), id, "gate", false, null).then().statusCode(200);
        JsonPath run = ended(id);
        assertThat(nodeStatuses(run)).containsExactlyInAnyOrderEntriesOf(Map.of("gate", "failed", "ship", "skipped",
                "cleanup", "completed"));
        assertThat(run.getString("status")).as("the denial was handled by its failure edge").isEqualTo("completed");
        assertThat(run.getMap("nodes.find { it.id == 'gate' }.decision")).containsEntry("result", "denied")
                .containsEntry("by", approver).doesNotContainKeys("comment", "timedOut");
        assertThat(audited("workflow.deny", id)).singleElement().satisfies(entry ->
                assertThat(entry).containsEntry("principal", approver));
        // the decision and what followed are events of the run's latest ended job
        assertThat(eventTypes(jobOf(run, "cleanup"))).contains("workflow.node.started", "workflow.completed");
        decide(given(), id, "gate", true, null).then().statusCode(409);
    }

    @Test
    void anAdminMayDecideAndACancelEndsAWaitingNode() {
        String workflow = calls.create(List.of(approval("first", List.of(approver), "PT1H"), calls.node("after", "ok")),
                List.of(edge("first", "after", "success")));
        String approved = launch(workflow);
        awaitNode(approved, "first", "waiting");
        // no body at all, as `curl -X POST` sends it
        given().post(WorkflowCalls.RUNS + "/" + approved + "/nodes/first/approve").then().statusCode(200);
        assertThat(ended(approved).getMap("nodes.find { it.id == 'first' }.decision"))
                .containsEntry("by", "admin").containsEntry("result", "approved");

        String cancelled = launch(workflow);
        awaitNode(cancelled, "first", "waiting");
        JsonPath run = given().post(WorkflowCalls.RUNS + "/" + cancelled + "/cancel").then().statusCode(200)
                .extract().jsonPath();
        assertThat(nodeStatuses(run)).containsEntry("first", "cancelled").containsEntry("after", "cancelled");
        assertThat(WorkflowCalls.node(run, "first")).doesNotContainKey("waitingUntil");
        decide(as(approverToken), cancelled, "first", true, null).then().statusCode(409);
    }

    @Test
    void aBadApprovalIsA400NamingEachFieldAndNothingIsStored() {
        String name = calls.prefix + "-bad";
        Map<String, Object> both = new HashMap<>(approval("both", List.of(approver), null));
        both.put("template", calls.outcome);
        Map<String, Object> late = new HashMap<>(approval("late", List.of(approver, approver), "P31D"));
        late.put("mode", "check");
        Map<String, Object> body = Map.of("name", name, "nodes", List.of(
                approval("unknown", List.of(approver, calls.prefix + "-nobody", "not a user!"), null),
                both,
                Map.of("id", "neither"),
                late,
                approval("vague", List.of(), "four hours"),
                approval("viewer", List.of(viewer()), "PT0.5S")));
        Response answer = given().contentType(ContentType.JSON).body(body).post(WorkflowCalls.PATH);
        answer.then().statusCode(400).contentType("application/problem+json");
        Map<String, String> errors = new HashMap<>();
        answer.jsonPath().getList("errors", Map.class).forEach(e -> errors.put((String) e.get("field"), (String) e.get("reason")));
        assertThat(errors).containsOnlyKeys("nodes[0].approval.approvers[1]", "nodes[0].approval.approvers[2]",
                "nodes[1]", "nodes[2]", "nodes[3].approval.approvers[1]", "nodes[3].approval.timeout",
                "nodes[3].mode", "nodes[4].approval.approvers", "nodes[4].approval.timeout", "nodes[5].approval.approvers[0]",
                "nodes[5].approval.timeout");
        assertThat(errors.get("nodes[0].approval.approvers[1]")).contains("no user who may decide");
        assertThat(errors.get("nodes[0].approval.approvers[2]")).contains("must be a user id");
        assertThat(errors.get("nodes[1]")).contains("both");
        assertThat(errors.get("nodes[2]")).contains("template").contains("approval");
        assertThat(errors.get("nodes[3].approval.approvers[1]")).contains("again");
        assertThat(errors.get("nodes[3].approval.timeout")).contains("P30D");
        assertThat(errors.get("nodes[3].mode")).contains("template node");
        assertThat(errors.get("nodes[4].approval.timeout")).contains("ISO-8601");
        assertThat(errors.get("nodes[5].approval.approvers[0]")).contains("no user who may decide");
        given().get(WorkflowCalls.PATH + "/" + name).then().statusCode(404);
    }

    /** A user whose only token is a viewer's: no one who may decide. */
    private String viewer() {
        String viewer = calls.prefix + "-viewer";
        Api.token(viewer, "viewer");
        return viewer;
    }
}
