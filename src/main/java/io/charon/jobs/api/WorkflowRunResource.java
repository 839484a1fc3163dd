package io.charon.jobs.api;

import io.charon.jobs.security.Role;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Workflow runs: read one, cancel one. Their launcher and admins see them; to anyone else they do not exist. */
@Path("/api/v1/workflow-runs")
@Tag(name = "Workflows")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class WorkflowRunResource {

    private final WorkflowRuns runs;
    private final CurrentUser user;

    public WorkflowRunResource(WorkflowRuns runs, CurrentUser user) {
        this.runs = runs;
        this.user = user;
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
}
