package io.charon.jobs.api;

import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.security.Role;
import io.charon.jobs.submission.SubmissionParser;
import io.charon.jobs.workflow.WorkflowDefinition;
import io.charon.jobs.workflow.WorkflowRuns;
import io.charon.jobs.workflow.Workflows;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Workflows: graphs of template launches joined by conditional edges, managed by admins, launched
 * by the operators each allows (every operator when it names none); to anyone else a workflow
 * does not exist.
 */
@Path("/api/v1/workflows")
@Tag(name = "Workflows", description = "Graphs of templates joined by success, failure and always edges with"
        + " conditions, and their runs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class WorkflowResource {

    static final int DEFAULT_RUNS = 50;
    static final int MAX_RUNS = 500;

    private static final String EXAMPLE = "{\"name\": \"release\", \"nodes\": ["
            + "{\"id\": \"build\", \"template\": \"build\", \"parameters\": {\"version\": \"2.4.1\"}},"
            + " {\"id\": \"deploy\", \"template\": \"deploy\"}, {\"id\": \"rollback\", \"template\": \"rollback\"},"
            + " {\"id\": \"notify\", \"template\": \"notify\", \"convergence\": \"any\"}], \"edges\": ["
            + "{\"from\": \"build\", \"to\": \"deploy\", \"on\": \"success\"},"
            + " {\"from\": \"deploy\", \"to\": \"rollback\", \"on\": \"failure\", \"when\": \"exitCode == 2\"},"
            + " {\"from\": \"deploy\", \"to\": \"notify\", \"on\": \"always\"},"
            + " {\"from\": \"rollback\", \"to\": \"notify\", \"on\": \"always\"}]}";

    private final Workflows workflows;
    private final WorkflowRuns runs;
    private final SubmissionParser parser;
    private final CurrentUser user;
    private final JobResource jobs;

    public WorkflowResource(Workflows workflows, WorkflowRuns runs, SubmissionParser parser, CurrentUser user,
                            JobResource jobs) {
        this.workflows = workflows;
        this.runs = runs;
        this.parser = parser;
        this.user = user;
        this.jobs = jobs;
    }

    @Operation(operationId = "createWorkflow", summary = "Create a workflow", description = "Stores it at version 1."
            + " One 400 lists every problem: duplicate node ids, unknown templates, parameters a template refuses,"
            + " approvers who hold no operator token, bad approval timeouts, unknown edge ends, conditions that do"
            + " not compile, a cycle, nodes not reachable from a root."
            + " Admins only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WorkflowDefinition.class), examples = @ExampleObject(name = "release", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response create(byte[] body, @Context UriInfo uri) {
        WorkflowDefinition definition = parser.read(body, WorkflowDefinition.class, "the workflow");
        WorkflowView created = WorkflowView.of(workflows.create(definition, user.id()));
        return Response.created(uri.getBaseUriBuilder().path(WorkflowResource.class).path(created.definition().name())
                .build()).entity(created).build();
    }

    @Operation(operationId = "listWorkflows", summary = "The workflows the caller may launch, by name",
            description = "Every one for an admin.")
    @GET
    public List<WorkflowView> list() {
        return workflows.list(user.id(), user.isAdmin()).stream().map(WorkflowView::of).toList();
    }

    @Operation(operationId = "getWorkflow", summary = "One workflow at its current version")
    @APIResponse(responseCode = "200", description = "The workflow",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @GET
    @Path("{name}")
    public WorkflowView get(@PathParam("name") String name) {
        return WorkflowView.of(workflows.get(name, user.id(), user.isAdmin()));
    }

    @Operation(operationId = "listWorkflowVersions", summary = "Every version of a workflow, oldest first")
    @GET
    @Path("{name}/versions")
    public List<WorkflowView> versions(@PathParam("name") String name) {
        return workflows.versions(name, user.id(), user.isAdmin()).stream().map(WorkflowView::of).toList();
    }

    @Operation(operationId = "replaceWorkflow", summary = "Replace a workflow", description = "The body replaces the"
            + " whole workflow and makes its next version; runs under way keep the definition they started with."
            + " Admins only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WorkflowDefinition.class), examples = @ExampleObject(name = "release", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The workflow at its new version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowView.class)))
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public WorkflowView replace(@PathParam("name") String name, byte[] body) {
        WorkflowDefinition definition = parser.read(body, WorkflowDefinition.class, "the workflow");
        if (definition.name() != null && !definition.name().equals(name)) {
            throw new InvalidInputException("name", "must be left out or equal the name in the path;"
                    + " a workflow cannot be renamed");
        }
        return WorkflowView.of(workflows.update(name, definition, user.id()));
    }

    @Operation(operationId = "deleteWorkflow", summary = "Delete a workflow and its versions",
            description = "Its runs, under way or ended, keep the definition they started with. Admins only.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@PathParam("name") String name) {
        workflows.delete(name, user.id());
        return Response.noContent().build();
    }

    @Operation(operationId = "launchWorkflow", summary = "Launch a workflow as a new run",
            description = "Stores the run and launches its root nodes' jobs, each through its template's launch,"
                    + " in one transaction; a root whose template refuses its launch refuses the run (400, each"
                    + " error named nodes[i].…). Later nodes are launched as the jobs before them end.")
    @APIResponse(responseCode = "201", description = "The new run; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkflowRunView.class)))
    @POST
    @Path("{name}/launch")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response launch(@PathParam("name") String name, @Context UriInfo uri) {
        jobs.refuseNewWorkWhileStopping();
        WorkflowRunView run = WorkflowRunView.of(runs.launch(name, user.actor()));
        return Response.created(uri.getBaseUriBuilder().path(WorkflowRunResource.class).path(run.id()).build())
                .entity(run).build();
    }

    @Operation(operationId = "listWorkflowRuns", summary = "The runs of a workflow, newest first",
            description = "The caller's own runs; every run for an admin. Without their nodes and edges.")
    @GET
    @Path("{name}/runs")
    public List<WorkflowRunView> runs(@PathParam("name") String name, @QueryParam("limit") String limit) {
        int most = QueryParameters.integer("limit", limit, DEFAULT_RUNS, 1, MAX_RUNS);
        return runs.runsOf(name, user.actor(), most).stream().map(WorkflowRunView::summary).toList();
    }
}
