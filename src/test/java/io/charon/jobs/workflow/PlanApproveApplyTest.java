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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.charon.jobs.workflow.WorkflowCalls.approval;
import static io.charon.jobs.workflow.WorkflowCalls.awaitNode;
import static io.charon.jobs.workflow.WorkflowCalls.decide;
import static io.charon.jobs.workflow.WorkflowCalls.edge;
import static io.charon.jobs.workflow.WorkflowCalls.ended;
import static io.charon.jobs.workflow.WorkflowCalls.jobOf;
import static io.charon.jobs.workflow.WorkflowCalls.launch;
import static io.charon.jobs.workflow.WorkflowCalls.nodeStatuses;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reviewed change, end to end with the real ansible-playbook: a plan node runs the template
 * in check mode and shows its diff, an approval waits for a reviewer who reads it, and the apply
 * node runs the same template, at the version the plan ran, for real only once approved; denied,
 * nothing changes.
 */
@QuarkusTest
class PlanApproveApplyTest {

    private WorkflowCalls calls;
    private String reviewer;
    private String reviewerToken;
    private String deploy;
    private Path target;

    @BeforeEach
    void setUp() throws IOException {
        calls = new WorkflowCalls();
        reviewer = calls.prefix + "-reviewer";
        reviewerToken = Api.token(reviewer, "operator");
        deploy = calls.prefix + "-deploy";
        calls.template(deploy, "change-file.yml", List.of(Map.of("name", "path", "type", "string"),
                Map.of("name", "content", "type", "string")));
        target = Files.createTempDirectory("charon-plan-apply").resolve("motd");
    }

    @AfterEach
    void removeFile() throws IOException {
        Files.deleteIfExists(target);
        Files.deleteIfExists(target.getParent());
    }

    /** plan (check mode) → review (approval) → apply, each change node writing {@code content} to the target. */
    private String planApproveApply(String content) {
        Map<String, Object> parameters = Map.of("path", target.toString(), "content", content);
        Map<String, Object> plan = new LinkedHashMap<>(WorkflowCalls.templateNode("plan", deploy, parameters));
        plan.put("mode", "check");
        return calls.create(List.of(plan, approval("review", List.of(reviewer), "PT1H"),
                        WorkflowCalls.templateNode("apply", deploy, parameters)),
                List.of(edge("plan", "review", "success"), edge("review", "apply", "success")));
    }

    @Test
    void theApplyRunsOnlyAfterTheReviewerApprovedThePlansDiff() throws IOException {
        String id = launch(planApproveApply("welcome to release 2.4.1"));
        JsonPath waiting = awaitNode(id, "review", "waiting");

        // the plan ran in check mode: nothing changed, and its diff says what would
        String plan = jobOf(waiting, "plan");
        assertThat(Api.get(plan).getString("mode")).isEqualTo("check");
        assertThat(Files.exists(target)).isFalse();
        JsonPath diff = given().get("/api/v1/jobs/" + plan + "/diff").then().statusCode(200).extract().jsonPath();
        assertThat(diff.getString("entries[0].task")).isEqualTo("Write the file");
        assertThat(diff.getString("entries[0].diff")).contains("+welcome to release 2.4.1");
        // nothing applies while the review waits
        assertThat(nodeStatuses(waiting)).containsEntry("apply", "pending");
        assertThat(jobOf(waiting, "apply")).isNull();
        assertThat(waiting.getMap("templateVersions")).isEqualTo(Map.of(deploy, 1));
        // the template changes while the plan is reviewed: a playbook that writes nothing
        given().contentType(ContentType.JSON).body(Map.of("name", deploy, "playbook", "hello.yml",
                "inventory", List.of("localhost"))).put("/api/v1/templates/" + deploy).then().statusCode(200);

        decide(Api.as(reviewerToken), id, "review", true, "diff reviewed").then().statusCode(200);
        JsonPath run = ended(id);
        assertThat(run.getString("status")).isEqualTo("completed");
        String apply = jobOf(run, "apply");
        assertThat(Api.get(apply).getString("mode")).isEqualTo("run");
        // the apply ran the version its plan showed, not the one stored since
        assertThat(Api.get(plan).getInt("templateVersion")).isEqualTo(1);
        assertThat(Api.get(apply).getInt("templateVersion")).isEqualTo(1);
        assertThat(Files.readString(target)).isEqualTo("welcome to release 2.4.1\n");
        assertThat(given().get("/api/v1/jobs/" + apply + "/diff").then().statusCode(200).extract().jsonPath()
                .getList("entries")).isEmpty();
    }

    @Test
    void aDeniedPlanChangesNothing() {
        String id = launch(planApproveApply("not this one"));
        awaitNode(id, "review", "waiting");
        decide(Api.as(reviewerToken), id, "review", false, "wrong release").then().statusCode(200);
        JsonPath run = ended(id);
        assertThat(run.getString("status")).isEqualTo("failed");
        assertThat(nodeStatuses(run)).containsEntry("plan", "completed").containsEntry("review", "failed")
                .containsEntry("apply", "skipped");
        assertThat(jobOf(run, "apply")).isNull();
        assertThat(Files.exists(target)).isFalse();
    }
}
