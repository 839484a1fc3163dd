package io.charon.jobs.api;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.config.EventsConfig;
import io.charon.jobs.dispatch.ServiceLifecycle;
import io.charon.jobs.events.JobCompletionWaiters;
import io.charon.jobs.events.LogFollower;
import io.charon.jobs.execution.LogFiles;
import io.charon.jobs.submission.IdempotencyKeys;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobFilter;
import io.charon.jobs.job.JobPage;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.lifecycle.Canceller;
import io.charon.jobs.query.JobQueries;
import io.charon.jobs.submission.JobSubmitter;
import io.charon.jobs.job.Priority;
import io.charon.jobs.submission.SubmissionParser;
import io.charon.jobs.job.Submitted;
import io.charon.jobs.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.jboss.resteasy.reactive.RestStreamElementType;

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

import java.nio.file.Files;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The job API: submit, list, read, wait for, cancel and relaunch jobs, and read their events and logs.
 *
 * <p>Over 300 lines: one endpoint a method, most of the length being their OpenAPI descriptions;
 * the work is the services'.
 */
@Tag(name = "Jobs", description = "Submit, list, follow, cancel and relaunch jobs")
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class JobResource {

    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 500;
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final JobSubmitter submitter;
    private final Canceller canceller;
    private final JobQueries jobs;
    private final SubmissionParser parser;
    private final JobCompletionWaiters waiters;
    private final CurrentUser user;
    private final JobsConfig config;
    private final EventsConfig events;
    private final OpenStreams streams;
    private final ServiceLifecycle lifecycle;

    public JobResource(JobSubmitter submitter, Canceller canceller, JobQueries jobs, SubmissionParser parser,
                       JobCompletionWaiters waiters, CurrentUser user, JobsConfig config, EventsConfig events, OpenStreams streams, ServiceLifecycle lifecycle) {
        this.events = events;
        this.streams = streams;
        this.lifecycle = lifecycle;
        this.submitter = submitter;
        this.canceller = canceller;
        this.jobs = jobs;
        this.parser = parser;
        this.waiters = waiters;
        this.user = user;
        this.config = config;
    }

    /**
     * The body is read as bytes and parsed here, so that any malformed body gets the same 400
     * problem. With an {@code Idempotency-Key}, a repeat of the same request answers 200 with the
     * job the first one created (and {@code Idempotent-Replayed: true}); the same key with a
     * different request answers 409.
     */
    @Operation(operationId = "submitJob", summary = "Submit a job", description = "Validates and stores the job; a 201 means it is on disk. "
            + "It is queued, or scheduled when scheduledAt lies ahead.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "JobSubmission"), examples = @ExampleObject(name = "hello",
            value = "{\"name\": \"first job\", \"playbook\": \"hello.yml\", \"inventory\": [\"localhost\"],"
                    + " \"variables\": {\"greeting\": \"bonjour\"}, \"priority\": \"high\", \"tags\": [\"demo\"]}")))
    @APIResponse(responseCode = "201", description = "Stored; Location names the new job",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "200", description = "A repeat of an earlier request with the same Idempotency-Key:"
            + " the job that request created (header Idempotent-Replayed: true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @Parameter(name = IdempotencyKeys.HEADER, description = "1 to 255 printable ASCII characters; a repeat with the"
            + " same key and request returns the first job, the same key with another request is a 409")
    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response submit(byte[] body, @HeaderParam(IdempotencyKeys.HEADER) String idempotencyKey,
                           @Context UriInfo uri) {
        refuseNewWorkWhileStopping();
        String key = IdempotencyKeys.validated(idempotencyKey);
        return answer(submitter.submit(parser.parse(body), user.actor(), key), uri);
    }

    /**
     * The answer to a submission (here, or a template's launch): 201 with the new job, or 200
     * with the job that an earlier request with the same idempotency key created.
     */
    Response answer(Submitted submitted, UriInfo uri) {
        if (submitted.created()) {
            return created(submitted.job(), uri.getBaseUriBuilder());
        }
        String id = submitted.job().getId();
        return Response.ok(full(id)).location(uri.getBaseUriBuilder().path(JobResource.class).path(id).build())
                .header(REPLAYED_HEADER, "true").build();
    }

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    /** Stops a job that has not ended: at once when waiting, by killing its process tree when running. */
    @Operation(operationId = "cancelJob", summary = "Cancel a job that has not ended", description = "A scheduled or queued job ends cancelled at"
            + " once; a running one has its process tree killed and keeps its partial log.")
    @APIResponse(responseCode = "200", description = "The cancelled job",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/cancel")
    @RolesAllowed(Role.OPERATOR_NAME)
    public JobView cancel(@PathParam("id") String id) {
        visible(id);
        canceller.cancel(id, user.id(), job -> LogFiles.tail(
                job.getLogPath() == null ? null : java.nio.file.Path.of(job.getLogPath()), config.outputTailBytes()));
        return full(id);
    }

    /** Runs a finished job's spec again as a new job. */
    @Operation(operationId = "relaunchJob", summary = "Run a finished job's spec again as a new job")
    @APIResponse(responseCode = "201", description = "The new job; Location names it",
            headers = @Header(name = "Location", schema = @Schema(type = SchemaType.STRING, format = "uri")),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("{id}/relaunch")
    @RolesAllowed(Role.OPERATOR_NAME)
    public Response relaunch(@PathParam("id") String id, @Context UriInfo uri) {
        refuseNewWorkWhileStopping();
        visible(id);
        return created(submitter.relaunch(id, user.actor()), uri.getBaseUriBuilder());
    }

    /**
     * From the first moment of a shutdown, new jobs go elsewhere: one stored here now would wait
     * for this instance's restart, or for another replica, while its client believes it under way.
     */
    void refuseNewWorkWhileStopping() {
        if (lifecycle.isDraining()) {
            throw new ServiceStoppingException();
        }
    }

    private Response created(Job job, jakarta.ws.rs.core.UriBuilder base) {
        return Response.created(base.path(JobResource.class).path(job.getId()).build())
                .entity(JobView.full(job, List.of(), List.of())).build();
    }

    private JobView full(String id) {
        return view(visible(id));
    }

    private JobView view(Job job) {
        return JobView.full(job, jobs.attempts(job.getId()), jobs.blockedBy(job).stream()
                .map(blocker -> BlockerView.of(blocker.seenBy(user.actor()))).toList());
    }

    /** The job if the caller may see it; another user's job is a 404, as if it did not exist. */
    private Job visible(String id) {
        return user.visible(jobs.find(id));
    }

    @Operation(operationId = "listJobs", summary = "List jobs, newest first", description = "Keyset-paged: pass the nextCursor of a page to get"
            + " the next one. Filters combine.")
    @Parameter(name = "status", description = "Repeatable or comma-separated: scheduled, queued, running, completed,"
            + " failed, cancelled, timeout")
    @Parameter(name = "type", description = "ansible or provisioning")
    @Parameter(name = "priority", description = "low, normal, high, critical (or 1, 5, 10, 15)")
    @Parameter(name = "createdAfter", description = "ISO-8601 instant, inclusive; between 1970-01-01T00:00:00Z and"
            + " 9999-12-31T23:59:59Z")
    @Parameter(name = "createdBefore", description = "ISO-8601 instant, exclusive; between 1970-01-01T00:00:00Z and"
            + " 9999-12-31T23:59:59Z")
    @Parameter(name = "limit", description = "1 to 500, default 50")
    @Parameter(name = "cursor", description = "The nextCursor of the previous page")
    @GET
    public JobPageView list(@QueryParam("status") List<String> status,
                            @QueryParam("type") String type,
                            @QueryParam("priority") String priority,
                            @QueryParam("tag") String tag,
                            @QueryParam("userId") String userId,
                            @QueryParam("createdAfter") String createdAfter,
                            @QueryParam("createdBefore") String createdBefore,
                            @QueryParam("limit") String limit,
                            @QueryParam("cursor") String cursor) {
        Set<JobStatus> statuses = EnumSet.noneOf(JobStatus.class);
        for (String value : status) {
            for (String one : value.split(",")) {
                String wanted = one.strip();
                if (wanted.isEmpty()) {
                    continue; // status=queued,,running: nothing between the commas
                }
                statuses.add(QueryParameters.parse("status", wanted,
                        "one of scheduled, queued, running, completed, failed, cancelled, timeout", JobStatus::fromWireName));
            }
        }
        JobFilter filter = new JobFilter(statuses,
                QueryParameters.jobType("type", type),
                QueryParameters.parse("priority", priority, "one of low, normal, high, critical or 1, 5, 10, 15",
                        Priority::parse),
                QueryParameters.optional(tag), user.ownerFilter(QueryParameters.optional(userId)),
                QueryParameters.instant("createdAfter", createdAfter),
                QueryParameters.instant("createdBefore", createdBefore));
        JobPage page = jobs.list(filter, QueryParameters.integer("limit", limit, DEFAULT_PAGE, 1, MAX_PAGE),
                QueryParameters.optional(cursor));
        return new JobPageView(page.items().stream().map(JobView::summary).toList(), page.nextCursor());
    }

    @Operation(operationId = "getJob", summary = "A job with its result, log tail and every attempt")
    @GET
    @Path("{id}")
    public JobView get(@PathParam("id") String id) {
        return full(id);
    }

    /**
     * Answers as soon as the job is in a final status, or with its current state once the
     * timeout (default 30 s, at most {@code charon.jobs.max-wait}) passes. Holds no thread while waiting.
     */
    @Operation(operationId = "waitForJob", summary = "Wait for a job to end", description = "Answers as soon as the job is completed, failed,"
            + " cancelled or timed out, or with its current state when the timeout passes.")
    @Parameter(name = "timeout", description = "ISO-8601 duration, PT0S or longer, default PT30S; a longer one than"
            + " charon.jobs.max-wait (PT5M unless configured) waits that long")
    @GET
    @Path("{id}/wait")
    public Uni<JobView> waitFor(@PathParam("id") String id, @QueryParam("timeout") String timeout) {
        Duration asked = QueryParameters.duration("timeout", timeout);
        Duration wait = asked == null ? DEFAULT_WAIT : asked.compareTo(config.maxWait()) > 0 ? config.maxWait() : asked;
        CompletableFuture<Void> done = waiters.register(id);
        Job job;
        try {
            job = visible(id);
        } catch (RuntimeException e) {
            waiters.unregister(id, done);
            throw e;
        }
        if (job.getStatus().isTerminal() || wait.isZero()) {
            waiters.unregister(id, done);
            return Uni.createFrom().item(view(job));
        }
        return Uni.createFrom().completionStage(done)
                .ifNoItem().after(wait).recoverWithItem((Void) null)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .map(ignored -> {
                    waiters.unregister(id, done);
                    return view(jobs.find(id)); // visibility was checked above, on the request's thread
                });
    }

    @Operation(operationId = "listJobEvents", summary = "A job's lifecycle events in order")
    @GET
    @Path("{id}/events")
    public List<EventView> events(@PathParam("id") String id) {
        visible(id);
        return jobs.events(id).stream().map(EventView::of).toList();
    }

    /** What the job's last check-mode run would have changed, per host and task. */
    @Operation(operationId = "getJobDiff", summary = "A check-mode job's diff, per host and task",
            description = "Unified diff text of each change the run reported, secrets masked; no entries for a job"
                    + " in run mode or not yet run. truncated: charon.jobs.diff-max-bytes left entries out.")
    @GET
    @Path("{id}/diff")
    public DiffView diff(@PathParam("id") String id) {
        visible(id);
        return DiffView.of(id, jobs.diff(id));
    }

    /** The whole log of the job's latest run so far. */
    @Operation(operationId = "getJobLog", summary = "The whole log of a job's latest run so far")
    @APIResponse(responseCode = "200", description = "The ansible-playbook output",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)))
    @GET
    @Path("{id}/log")
    @Produces(MediaType.TEXT_PLAIN)
    public Response log(@PathParam("id") String id) {
        Job job = visible(id);
        if (job.getLogPath() == null || !Files.exists(java.nio.file.Path.of(job.getLogPath()))) {
            return Response.ok("", MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
        }
        return Response.ok(java.nio.file.Path.of(job.getLogPath()), MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8")).build();
    }

    /**
     * The job's output as Server-Sent Events, one {@code log} message per line, as the playbook
     * prints it; each message's id is its position, so {@code Last-Event-ID} resumes after it.
     * The line goes as JSON ({@code {"position": ..., "text": ...}}): SSE clients strip one
     * leading space of a data line, which would bend the indentation of raw output.
     * Ends once the job has ended and all its output was sent, or with a
     * {@value OpenStreams#STOPPING_EVENT} message when the service stops.
     */
    @Operation(operationId = "followJobLog", summary = "Follow a job's output live (Server-Sent Events)", description = "One log message per line,"
            + " data {\"position\": \"<run>:<offset>\", \"text\": ...}, id = the position; resumes after Last-Event-ID;"
            + " ends once the job has ended and all its output was sent.")
    @Parameter(name = "Last-Event-ID", description = "The id (position) of the last line received")
    @APIResponse(responseCode = "200", description = "An event stream: `log` messages, each one line of output as JSON"
            + " {\"position\": ..., \"text\": ...} with the position as id",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @GET
    @Path("{id}/log/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<OutboundSseEvent> logStream(@PathParam("id") String id,
                                             @HeaderParam("Last-Event-ID") String lastEventId,
                                             @Context Sse sse) {
        visible(id);
        LogFollower follower = new LogFollower(() -> jobs.runLogs(id), QueryParameters.optional(lastEventId));
        return streams.endingAtShutdown(follower.stream(events.logPollInterval())
                .map(line -> sse.newEventBuilder().id(line.position()).name("log")
                        .data(LogFollower.Line.class, line).build()), sse);
    }
}
