package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.workflow.Approval;
import io.charon.jobs.workflow.Decision;
import io.charon.jobs.workflow.EdgeOutcome;
import io.charon.jobs.workflow.NodeAttempt;
import io.charon.jobs.workflow.Resume;
import io.charon.jobs.workflow.RunNode;
import io.charon.jobs.workflow.WorkflowEdge;
import io.charon.jobs.workflow.WorkflowNode;
import io.charon.jobs.workflow.WorkflowRun;
import io.charon.jobs.workflow.WorkflowRuns;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A workflow run: its status, each node's status and job, and what became of each edge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowRunView(
        String id,
        String workflow,
        int workflowVersion,
        @Schema(description = "the version of each template its nodes launch, fixed when the run was launched")
        Map<String, Integer> templateVersions,
        @Schema(description = "running, completed, failed or cancelled") String status,
        @Schema(description = "why it failed or who cancelled it") String message,
        String userId,
        Instant createdAt,
        Instant endedAt,
        @Schema(description = "1, and one more at each resume") Integer attempt,
        @Schema(description = "each resume, oldest first") List<Resume> resumes,
        List<Node> nodes,
        List<Edge> edges) {

    /** A node of the run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String id, String template,
                       @Schema(description = "an approval node's description, approvers and timeout") Approval approval,
                       @Schema(description = "pending, started, waiting (an approval node), completed, failed,"
                               + " skipped or cancelled") String status,
                       @Schema(description = "the job it launched, once started") String jobId,
                       String message, Instant updatedAt,
                       @Schema(description = "while an approval node waits: when its timeout passes") Instant waitingUntil,
                       @Schema(description = "an approval node's decision, once decided") Decision decision,
                       @Schema(description = "the jobs of its earlier attempts, set back by resumes, oldest first")
                       List<String> previousJobIds,
                       @Schema(description = "its earlier attempts, set back by resumes, oldest first")
                       List<NodeAttempt> previousAttempts) {
    }

    /** An edge of the run's definition and its outcome. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Edge(String from, String to, String on, String when,
                       @Schema(description = "pending, taken, not-taken or error") String state, String message) {
    }

    static WorkflowRunView of(WorkflowRuns.RunDetails details) {
        WorkflowRun run = details.run();
        List<Node> nodes = new ArrayList<>();
        List<WorkflowNode> defined = run.definition().nodes();
        for (int i = 0; i < defined.size(); i++) {
            RunNode node = details.nodes().get(i);
            List<NodeAttempt> previous = node.previous();
            nodes.add(new Node(defined.get(i).id(), defined.get(i).template(), defined.get(i).approval(), node.status(),
                    node.jobId(), node.message(), node.updatedAt(), node.waitingUntil(), node.decision(),
                    previous.isEmpty() ? null : previous.stream().map(NodeAttempt::jobId).filter(Objects::nonNull).toList(),
                    previous.isEmpty() ? null : previous));
        }
        List<Edge> edges = new ArrayList<>();
        List<WorkflowEdge> declared = run.definition().edges();
        for (int i = 0; i < declared.size(); i++) {
            WorkflowEdge edge = declared.get(i);
            EdgeOutcome outcome = run.edges().get(i);
            edges.add(new Edge(edge.from(), edge.to(), edge.on() == null ? "success" : edge.on(), edge.when(),
                    outcome.state(), outcome.message()));
        }
        return new WorkflowRunView(run.id(), run.workflow(), run.workflowVersion(), run.templateVersions(),
                run.status(), run.message(), run.userId(), run.createdAt(), run.endedAt(), run.attempt(),
                run.resumes(), nodes, edges);
    }

    /** A run in a listing: without its nodes and edges. */
    static WorkflowRunView summary(WorkflowRun run) {
        return new WorkflowRunView(run.id(), run.workflow(), run.workflowVersion(), run.templateVersions(),
                run.status(), run.message(), run.userId(), run.createdAt(), run.endedAt(), run.attempt(),
                null, null, null);
    }
}
