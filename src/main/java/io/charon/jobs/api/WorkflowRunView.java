package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.workflow.EdgeOutcome;
import io.charon.jobs.workflow.RunNode;
import io.charon.jobs.workflow.WorkflowEdge;
import io.charon.jobs.workflow.WorkflowNode;
import io.charon.jobs.workflow.WorkflowRun;
import io.charon.jobs.workflow.WorkflowRuns;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A workflow run: its status, each node's status and job, and what became of each edge. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkflowRunView(
        String id,
        String workflow,
        int workflowVersion,
        @Schema(description = "running, completed, failed or cancelled") String status,
        @Schema(description = "why it failed or who cancelled it") String message,
        String userId,
        Instant createdAt,
        Instant endedAt,
        List<Node> nodes,
        List<Edge> edges) {

    /** A node of the run. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Node(String id, String template,
                       @Schema(description = "pending, started, completed, failed, skipped or cancelled") String status,
                       @Schema(description = "the job it launched, once started") String jobId,
                       String message, Instant updatedAt) {
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
            nodes.add(new Node(defined.get(i).id(), defined.get(i).template(), node.status(), node.jobId(),
                    node.message(), node.updatedAt()));
        }
        List<Edge> edges = new ArrayList<>();
        List<WorkflowEdge> declared = run.definition().edges();
        for (int i = 0; i < declared.size(); i++) {
            WorkflowEdge edge = declared.get(i);
            EdgeOutcome outcome = run.edges().get(i);
            edges.add(new Edge(edge.from(), edge.to(), edge.on() == null ? "success" : edge.on(), edge.when(),
                    outcome.state(), outcome.message()));
        }
        return new WorkflowRunView(run.id(), run.workflow(), run.workflowVersion(), run.status(), run.message(),
                run.userId(), run.createdAt(), run.endedAt(), nodes, edges);
    }

    /** A run in a listing: without its nodes and edges. */
    static WorkflowRunView summary(WorkflowRun run) {
        return new WorkflowRunView(run.id(), run.workflow(), run.workflowVersion(), run.status(), run.message(),
                run.userId(), run.createdAt(), run.endedAt(), null, null);
    }
}
