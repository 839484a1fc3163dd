package io.charon.jobs.api;

import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.Submitted;
import io.charon.jobs.security.Role;
import io.charon.jobs.submission.IdempotencyKeys;
import io.charon.jobs.submission.SubmissionParser;
import io.charon.jobs.template.LaunchRequest;
import io.charon.jobs.template.TemplateDefinition;
import io.charon.jobs.template.TemplateLauncher;
import io.charon.jobs.template.Templates;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * Job templates: a job spec with typed parameters, managed by admins, launched by the operators
 * each allows (every operator when it names none); to anyone else a template does not exist.
 */
@Path("/api/v1/templates")
@Tag(name = "Templates", description = "Job templates with typed parameters, and their launches")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class TemplateResource {

    private static final String EXAMPLE = "{\"name\": \"deploy\", \"description\": \"Deploy the web tier\","
            + " \"playbook\": \"deploy.yml\", \"inventoryRef\": \"web\", \"variables\": {\"channel\": \"stable\"},"
            + " \"parameters\": [{\"name\": \"version\", \"type\": \"string\", \"required\": true, \"pattern\":"
            + " \"[0-9]+\\\\.[0-9]+\\\\.[0-9]+\"}, {\"name\": \"canary\", \"type\": \"boolean\", \"default\": false},"
            + " {\"name\": \"api_token\", \"type\": \"secret\"}], \"allowedUsers\": [\"alice\"]}";

    private final Templates templates;
    private final TemplateLauncher launcher;
    private final SubmissionParser parser;
    private final CurrentUser user;
    private final JobResource jobs;

    public TemplateResource(Templates templates, TemplateLauncher launcher, SubmissionParser parser, CurrentUser user,
                            JobResource jobs) {
        this.templates = templates;
        this.launcher = launcher;
        this.parser = parser;
        this.user = user;
        this.jobs = jobs;
    }

    @Operation(operationId = "createTemplate", summary = "Create a template", description = "Stores it at version 1."
            + " Its job fields are checked as a job submission's, its parameters standing in as variables. Admins only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TemplateDefinition.class), examples = @ExampleObject(name = "deploy", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TemplateView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response create(byte[] body, @Context UriInfo uri) {
        TemplateDefinition definition = parser.read(body, TemplateDefinition.class, "the template");
        TemplateView created = TemplateView.of(templates.create(definition, user.id()));
        return Response.created(uri.getBaseUriBuilder().path(TemplateResource.class).path(definition.name()).build())
                .entity(created).build();
    }

    @Operation(operationId = "listTemplates", summary = "The templates the caller may launch, by name",
            description = "Every one for an admin.")
    @GET
    public List<TemplateView> list() {
        return templates.list(user.id(), user.isAdmin()).stream().map(TemplateView::of).toList();
    }

    @Operation(operationId = "getTemplate", summary = "One template at its current version")
    @APIResponse(responseCode = "200", description = "The template",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TemplateView.class)))
    @GET
    @Path("{name}")
    public TemplateView get(@PathParam("name") String name) {
        return TemplateView.of(templates.get(name, user.id(), user.isAdmin()));
    }

    @Operation(operationId = "listTemplateVersions", summary = "Every version of a template, oldest first")
    @GET
    @Path("{name}/versions")
    public List<TemplateView> versions(@PathParam("name") String name) {
        return templates.versions(name, user.id(), user.isAdmin()).stream().map(TemplateView::of).toList();
    }

    @Operation(operationId = "getTemplateVersion", summary = "One version of a template")
    @GET
    @Path("{name}/versions/{version}")
    public TemplateView version(@PathParam("name") String name, @PathParam("version") String version) {
        return TemplateView.of(templates.version(name, QueryParameters.integer("version", version, 1, 1,
                Integer.MAX_VALUE), user.id(), user.isAdmin()));
    }

    @Operation(operationId = "replaceTemplate", summary = "Replace a template", description = "The body replaces the"
            + " whole template and makes its next version; jobs launched before keep the version they recorded."
            + " Admins only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = TemplateDefinition.class), examples = @ExampleObject(name = "deploy", value = EXAMPLE)))
    @APIResponse(responseCode = "200", description = "The template at its new version",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TemplateView.class)))
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public TemplateView replace(@PathParam("name") String name, byte[] body) {
        TemplateDefinition definition = parser.read(body, TemplateDefinition.class, "the template");
        if (definition.name() != null && !definition.name().equals(name)) {
            throw new InvalidInputException("name", "must be left out or equal the name in the path;"
                    + " a template cannot be renamed");
        }
        return TemplateView.of(templates.update(name, definition, user.id()));
    }

    @Operation(operationId = "deleteTemplate", summary = "Delete a template and its versions",
            description = "Jobs launched from it keep what they ran. Refused (409) while a schedule launches it."
                    + " Admins only.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@PathParam("name") String name) {
        templates.delete(name, user.id());
        return Response.noContent().build();
    }

    @Operation(operationId = "launchTemplate", summary = "Launch a template as a new job",
            description = "Checks the parameters against the template's (one 400 lists every bad one, with every"
                    + " error of the job they make), then submits the job as POST /jobs would. Secret parameters"
                    + " become secret variables. The job records the template and its version.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = LaunchRequest.class), examples = @ExampleObject(name = "deploy",
            value = "{\"parameters\": {\"version\": \"2.4.1\", \"api_token\": \"s3cr3t\"}, \"priority\": \"high\"}")))
    @APIResponse(responseCode = "201", description = "The new job; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "200", description = "A repeat of an earlier launch with the same Idempotency-Key:"
            + " the job that launch created (header Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Parameter(name = IdempotencyKeys.HEADER, description = "As for POST /jobs")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @Path("{name}/launch")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response launch(@PathParam("name") String name, byte[] body,
                           @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey, @Context UriInfo uri) {
        jobs.refuseNewWorkWhileStopping();
        String key = IdempotencyKeys.validated(idempotencyKey);
        LaunchRequest launch = body == null || body.length == 0 ? LaunchRequest.NONE
                : parser.read(body, LaunchRequest.class, "the launch");
        Submitted submitted = launcher.launch(name, launch, user.actor(), key);
        return jobs.answer(submitted, uri);
    }
}
