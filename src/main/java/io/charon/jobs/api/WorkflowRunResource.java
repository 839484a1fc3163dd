package io.charon.jobs.api;

import io.charon.jobs.security.Role;
import io.charon.jobs.submission.SubmissionParser;
import io.charon.jobs.workflow.Approvals;
import io.charon.jobs.workflow.WorkflowRuns;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Workflow runs: read one, cancel or resume one, decide its approval nodes. Their launcher, admins
 * and the approvers of their approval nodes see them; to anyone else they do not exist.
 */
@Path("/api/v1/workflow-runs")
@Tag(name = "Workflows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class WorkflowRunResource {

    private final WorkflowRuns runs;
    private final Approvals approvals;
    private final SubmissionParser parser;
    private final CurrentUser user;

    public WorkflowRunResource(WorkflowRuns runs, Approvals approvals, SubmissionParser parser, CurrentUser user) {
        this.runs = runs;
        this.approvals = approvals;
        this.parser = parser;
        this.user = user;
    }

    /** The body of an approval's decision. */
    public record DecisionRequest(@Schema(description = "why, for the run and the audit trail; at most 1,000"
            + " characters") String comment) {
    }

    @Operation(operationId = "getWorkflowRun", summary = "One workflow run: each node's status and job, each edge's outcome")
    @APIResponse(responseCode = "200", description = "The run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRunView.class)))
    @GET
    @Path("{id}")
    public WorkflowRunView get(@PathParam("id") String id) {
        return WorkflowRunView.of(runs.get(id, user.actor()));
    }

    @Operation(operationId = "cancelWorkflowRun", summary = "Cancel a workflow run under way",
            description = "Cancels every node not ended, and their jobs (a running one has its process tree"
                    + " stopped), in one transaction; the run ends cancelled.")
    @APIResponse(responseCode = "200", description = "The cancelled run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRunView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Role.OPERATOR_NAME)
    public WorkflowRunView cancel(@PathParam("id") String id) {
        return WorkflowRunView.of(runs.cancel(id, user.actor()));
    }

    @Operation(operationId = "resumeWorkflowRun", summary = "Resume a failed workflow run",
            description = "Sets every node not completed back to pending and runs them again from the failed ones,"
                    + " in one transaction; completed nodes keep their jobs and results. The run is running again,"
                    + " at its next attempt. Its launcher or an admin; 409 unless the run ended failed.")
    @APIResponse(responseCode = "200", description = "The resumed run",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRunView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/resume")
    @RolesAllowed(Role.OPERATOR_NAME)
    public WorkflowRunView resume(@PathParam("id") String id) {
        return WorkflowRunView.of(runs.resume(id, user.actor()));
    }

    @Operation(operationId = "approveWorkflowNode", summary = "Approve a waiting approval node",
            description = "The node completes and its success edges are followed, in one transaction. One of the"
                    + " node's approvers or an admin; 409 when the node is not waiting or the run ended.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DecisionRequest.class)))
    @APIResponse(responseCode = "200", description = "The run after the decision",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRunView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/nodes/{node}/approve")
    @RolesAllowed(Role.OPERATOR_NAME)
    public WorkflowRunView approve(@PathParam("id") String id, @PathParam("node") String node, byte[] body) {
        return decide(id, node, true, body);
    }

    @Operation(operationId = "denyWorkflowNode", summary = "Deny a waiting approval node",
            description = "The node fails and its failure edges are followed, in one transaction. One of the"
                    + " node's approvers or an admin; 409 when the node is not waiting or the run ended.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DecisionRequest.class)))
    @APIResponse(responseCode = "200", description = "The run after the decision",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRunView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/nodes/{node}/deny")
    @RolesAllowed(Role.OPERATOR_NAME)
    public WorkflowRunView deny(@PathParam("id") String id, @PathParam("node") String node, byte[] body) {
        return decide(id, node, false, body);
    }

    /**
     * A decision; its body, with its comment, is optional, so no media type is required of the
     * request ({@code curl -X POST} sends none): a body given is read as JSON.
     */
    private WorkflowRunView decide(String id, String node, boolean approve, byte[] body) {
        String comment = body == null || body.length == 0 ? null
                : parser.read(body, DecisionRequest.class, "the decision").comment();
        return WorkflowRunView.of(approvals.decide(id, node, approve, comment, user.actor()));
    }
}
