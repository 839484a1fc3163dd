package io.charon.jobs.api;

import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.schedule.Schedule;
import io.charon.jobs.schedule.ScheduleRequest;
import io.charon.jobs.schedule.Schedules;
import io.charon.jobs.security.Role;
import io.charon.jobs.submission.SubmissionParser;
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

/** Schedules: a template launched at the slots of a cron expression, managed by admins. */
@Path("/api/v1/schedules")
@Tag(name = "Schedules", description = "Templates launched at the slots of a cron expression")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class ScheduleResource {

    private static final String EXAMPLE = "{\"name\": \"nightly-deploy\", \"template\": \"deploy\","
            + " \"parameters\": {\"version\": \"2.4.1\"}, \"cron\": \"30 2 * * *\", \"timeZone\": \"Europe/Paris\","
            + " \"overlap\": \"skip\", \"misfire\": \"run-once\", \"startDeadline\": \"PT15M\"}";

    private final Schedules schedules;
    private final SubmissionParser parser;
    private final CurrentUser user;

    public ScheduleResource(Schedules schedules, SubmissionParser parser, CurrentUser user) {
        this.schedules = schedules;
        this.parser = parser;
        this.user = user;
    }

    @Operation(operationId = "createSchedule", summary = "Create a schedule", description = "Its parameters are checked"
            + " as a launch of its template would be; it fires first at the first slot after now. Admins only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ScheduleRequest.class), examples = @ExampleObject(name = "nightly", value = EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(Role.ADMIN_NAME)
    public Response create(byte[] body, @Context UriInfo uri) {
        ScheduleRequest request = parser.read(body, ScheduleRequest.class, "the schedule");
        Schedule created = schedules.create(request, user.id());
        return Response.created(uri.getBaseUriBuilder().path(ScheduleResource.class).path(created.name()).build())
                .entity(view(created)).build();
    }

    @Operation(operationId = "listSchedules", summary = "Every schedule, by name")
    @GET
    @RolesAllowed(Role.ADMIN_NAME)
    public List<ScheduleView> list() {
        return schedules.list().stream().map(this::view).toList();
    }

    @Operation(operationId = "getSchedule", summary = "One schedule, with its next runs and its last fired, skipped"
            + " and missed slots")
    @APIResponse(responseCode = "200", description = "The schedule",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ScheduleView.class)))
    @GET
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public ScheduleView get(@PathParam("name") String name) {
        return view(schedules.get(name));
    }

    @Operation(operationId = "replaceSchedule", summary = "Replace a schedule", description = "The body replaces every"
            + " setting; the slots start again after now. Admins only.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = ScheduleRequest.class), examples = @ExampleObject(name = "nightly", value = EXAMPLE)))
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public ScheduleView replace(@PathParam("name") String name, byte[] body) {
        ScheduleRequest request = parser.read(body, ScheduleRequest.class, "the schedule");
        if (request.name() != null && !request.name().equals(name)) {
            throw new InvalidInputException("name", "must be left out or equal the name in the path;"
                    + " a schedule cannot be renamed");
        }
        return view(schedules.update(name, request, user.id()));
    }

    @Operation(operationId = "deleteSchedule", summary = "Delete a schedule", description = "Its jobs stay. Admins only.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @DELETE
    @Path("{name}")
    @RolesAllowed(Role.ADMIN_NAME)
    public Response delete(@PathParam("name") String name) {
        schedules.delete(name, user.id());
        return Response.noContent().build();
    }

    private ScheduleView view(Schedule schedule) {
        return ScheduleView.of(schedule, schedules.nextRuns(schedule));
    }
}
