package io.charon.jobs.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.charon.jobs.dispatch.Dispatcher;
import io.charon.jobs.job.FieldError;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.StoredNames;
import io.charon.jobs.queue.QueueOverview;
import io.charon.jobs.queue.QueueOverview.QueueState;
import io.charon.jobs.queue.QueueSettings;
import io.charon.jobs.security.AuditActions;
import io.charon.jobs.security.AuditEntry;
import io.charon.jobs.security.AuditTrail;
import io.charon.jobs.security.Role;
import io.charon.jobs.submission.SubmissionParser;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/** Named queues: what waits in each and runs from it, and, for admins, pause and cap at run time. */
@Tag(name = "Queues", description = "Named queues, their depth, caps and pause")
@Path("/api/v1/queues")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@RolesAllowed(Role.VIEWER_NAME)
public class QueueResource {

    /** The largest cap a queue may be given: more than any worker pool runs at once. */
    static final int MAX_CONCURRENT = 100_000;

    private final QueueOverview overview;
    private final QueueSettings settings;
    private final SubmissionParser parser;
    private final Dispatcher dispatcher;
    private final AuditTrail audit;
    private final CurrentUser user;

    public QueueResource(QueueOverview overview, QueueSettings settings, SubmissionParser parser, Dispatcher dispatcher,
                         AuditTrail audit, CurrentUser user) {
        this.overview = overview;
        this.settings = settings;
        this.parser = parser;
        this.dispatcher = dispatcher;
        this.audit = audit;
        this.user = user;
    }

    @Operation(operationId = "listQueues", summary = "Every queue: depth, running jobs, cap and whether it is paused")
    @GET
    public List<QueueState> list() {
        return overview.list();
    }

    @Operation(operationId = "changeQueue", summary = "Pause, resume or cap a queue", description = "Body"
            + " {\"paused\": true|false, \"maxConcurrent\": N|null}; a field left out keeps its value. Applies to every"
            + " replica within one dispatch interval; running jobs go on.")
    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.ADMIN_NAME)
    public QueueState change(@PathParam("name") String name, byte[] body) {
        if (!StoredNames.NAME.matcher(name).matches()) {
            throw new InvalidInputException("name", StoredNames.RULE);
        }
        JsonNode change = parser.read(body, JsonNode.class, "the queue's settings");
        if (!change.isObject()) {
            throw new InvalidInputException("body", "must be a JSON object such as {\"paused\": true}");
        }
        List<FieldError> errors = new ArrayList<>();
        change.fieldNames().forEachRemaining(field -> {
            if (!field.equals("paused") && !field.equals("maxConcurrent")) {
                errors.add(new FieldError(field, "is not a known field"));
            }
        });
        JsonNode paused = change.get("paused");
        if (paused != null && !paused.isBoolean()) {
            errors.add(new FieldError("paused", "must be true or false"));
        }
        // a field left out keeps its value; "maxConcurrent": null lifts the cap
        JsonNode maxConcurrent = change.get("maxConcurrent");
        boolean capGiven = maxConcurrent != null;
        Integer cap = null;
        if (capGiven && !maxConcurrent.isNull()) {
            if (!maxConcurrent.isIntegralNumber() || !maxConcurrent.canConvertToInt() || maxConcurrent.intValue() < 1
                    || maxConcurrent.intValue() > MAX_CONCURRENT) {
                errors.add(new FieldError("maxConcurrent", "must be a whole number from 1 to " + MAX_CONCURRENT
                        + ", or null for no cap"));
            } else {
                cap = maxConcurrent.intValue();
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        QueueSettings.Changed changed = settings.change(name,
                new QueueSettings.Change(paused == null ? null : paused.asBoolean(), capGiven, cap));
        audit.record(AuditEntry.success(user.id(), AuditActions.QUEUE_CHANGE, name,
                describe(changed.before()) + " -> " + describe(changed.after())));
        dispatcher.wake();
        return overview.get(name);
    }

    private static String describe(QueueSettings.Setting setting) {
        return (setting.paused() ? "paused" : "running") + ", cap "
                + (setting.maxConcurrent() == null ? "none" : setting.maxConcurrent());
    }
}
