package io.charon.jobs.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.charon.jobs.dispatch.Dispatcher;
import io.charon.jobs.dispatch.WorkerPool;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.query.JobQueries;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.submission.SubmissionParser;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.Role;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.util.Iterator;

/** The worker pool of this instance: its size, what runs, what waits. */
@Tag(name = "Workers", description = "The worker pool of this instance")
@Path("/api/v1/workers")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.ADMIN_NAME)
public class WorkerResource {

    static final int MAX_WORKERS = 256;
    /** As strict as a submission: a field given twice, or anything after the object, is refused. */
    private static final ObjectMapper MAPPER = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    private final WorkerPool pool;
    private final JobQueries jobs;
    private final Dispatcher dispatcher;
    private final AuditTrail audit;
    private final CurrentUser user;

    public WorkerResource(WorkerPool pool, JobQueries jobs, Dispatcher dispatcher, AuditTrail audit, CurrentUser user) {
        this.pool = pool;
        this.audit = audit;
        this.user = user;
        this.jobs = jobs;
        this.dispatcher = dispatcher;
    }

    public record WorkersView(int workerCount, int maxConcurrentJobs, int activeJobs, long queueSize) {
    }

    @Operation(operationId = "getWorkers", summary = "Worker count, concurrency cap, running and queued jobs")
    @GET
    public WorkersView get() {
        return new WorkersView(pool.workerCount(), pool.maxConcurrentJobs(), pool.activeJobs(), jobs.count(JobStatus.QUEUED));
    }

    /** Body {@code {"workerCount": N}}; running jobs are not interrupted; 0 pauses the pool. */
    @Operation(operationId = "resizeWorkers", summary = "Resize the worker pool", description = "Running jobs are not interrupted; 0 pauses the pool.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(ref = "WorkerCount")))
    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    public WorkersView resize(byte[] body) {
        int count = workerCount(body);
        int before = pool.workerCount();
        pool.resize(count);
        audit.record(AuditEntry.success(user.id(), AuditActions.WORKERS_RESIZE, "workers", before + " -> " + count));
        dispatcher.wake();
        return get();
    }

    private static int workerCount(byte[] body) {
        JsonNode node;
        try {
            node = body == null || body.length == 0 ? null : MAPPER.readTree(body);
        } catch (JsonParseException e) {
            String duplicate = SubmissionParser.duplicateField(e);
            throw duplicate != null ? new InvalidInputException(duplicate, "appears more than once")
                    : new InvalidInputException("body", "is not valid JSON");
        } catch (IOException e) {
            throw new InvalidInputException("body", "is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object such as {\"workerCount\": 8}");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("workerCount")) {
                throw new InvalidInputException(name, "is not a known field");
            }
        }
        JsonNode count = node.get("workerCount");
        if (count == null || !count.isIntegralNumber() || count.asLong() < 0 || count.asLong() > MAX_WORKERS) {
            throw new InvalidInputException("workerCount", "must be a whole number from 0 (paused) to " + MAX_WORKERS);
        }
        return count.asInt();
    }
}
