package io.charon.jobs.api;

import io.charon.jobs.events.EventFeed;
import io.charon.jobs.events.EventFilter;
import io.charon.jobs.events.EventPosition;
import io.charon.jobs.events.FeedEvent;
import io.charon.jobs.job.InvalidInputException;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.security.Role;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Lifecycle events of all jobs as Server-Sent Events, filtered, resumable with {@code Last-Event-ID}. */
@Path("/api/v1/events")
@Tag(name = "Events", description = "Lifecycle events of all jobs, live")
@RolesAllowed(Role.VIEWER_NAME)
public class EventResource {

    private static final Set<String> TYPES = Arrays.stream(JobEventType.values()).map(JobEventType::wireName)
            .collect(Collectors.toUnmodifiableSet());

    /**
     * Events a stream may have on their way to the socket at once (see {@link WriteAhead}). Kept
     * small: when a client goes away, RESTEasy logs an error for each write still under way.
     */
    private static final int WRITE_AHEAD = 16;

    private final EventFeed feed;
    private final CurrentUser user;
    private final FeedEventJson json;
    private final OpenStreams streams;

    public EventResource(EventFeed feed, CurrentUser user, FeedEventJson json, OpenStreams streams) {
        this.feed = feed;
        this.streams = streams;
        this.user = user;
        this.json = json;
    }

    /**
     * Each message: {@code id} (the event's position, an opaque cursor to resume from),
     * {@code event} (its type) and the event as JSON. With {@code Last-Event-ID} (or {@code after})
     * the stored events after that position come first, then live ones. A client too slow to keep
     * up is disconnected once it has read its buffer and reconnects with its last id. A non-admin
     * receives only the events of their own jobs; an admin may restrict the stream to one user's
     * jobs with {@code userId}.
     * When the service stops, the stream ends with a {@value OpenStreams#STOPPING_EVENT} message.
     */
    @Operation(operationId = "followEvents", summary = "Follow lifecycle events live (Server-Sent Events)", description = "Each message: id (the"
            + " event's position in the store, an opaque cursor), event (its type) and the event as JSON data. With"
            + " Last-Event-ID (or after) the stored events after that position come first, then live ones: no gap,"
            + " no repeat.")
    @Parameter(name = "type", description = "Repeatable or comma-separated event types, e.g. job.completed")
    @Parameter(name = "jobId", description = "Only this job's events")
    @Parameter(name = "tag", description = "Only events of jobs with this tag")
    @Parameter(name = "after", description = "Start after the message with this id (as Last-Event-ID)")
    @Parameter(name = "Last-Event-ID", description = "The id of the last message received")
    @APIResponse(responseCode = "200", description = "An event stream: one message per lifecycle event, named by its type"
            + " (e.g. job.completed), with the event's position as id and the event as JSON data",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public RestMulti<OutboundSseEvent> stream(@QueryParam("type") List<String> types,
                                          @QueryParam("jobId") String jobId,
                                          @QueryParam("tag") String tag,
                                          @QueryParam("userId") String userId,
                                          @QueryParam("after") String after,
                                          @HeaderParam("Last-Event-ID") String lastEventId,
                                          @Context Sse sse) {
        EventFilter filter = new EventFilter(types(types), QueryParameters.optional(jobId), QueryParameters.optional(tag),
                user.ownerFilter(QueryParameters.optional(userId)));
        Optional<EventPosition> from = lastEventId != null && !lastEventId.isBlank()
                ? position("Last-Event-ID", lastEventId) : position("after", after);
        Multi<OutboundSseEvent> messages = feed.subscribe(filter, from)
                .map(event -> message(sse, event))
                .onFailure(BackPressureFailure.class).recoverWithCompletion();
        return WriteAhead.of(streams.endingAtShutdown(messages, sse), WRITE_AHEAD);
    }

    private OutboundSseEvent message(Sse sse, FeedEvent event) {
        return sse.newEventBuilder()
                .id(event.position().cursor())
                .name(event.type())
                .mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, json.of(event))
                .build();
    }

    private static Set<String> types(List<String> values) {
        Set<String> types = new LinkedHashSet<>();
        for (String value : values) {
            for (String one : value.split(",")) {
                String type = one.trim();
                if (!TYPES.contains(type)) {
                    throw new InvalidInputException("type", "must be one of " + String.join(", ", TYPES.stream().sorted().toList()));
                }
                types.add(type);
            }
        }
        return types;
    }

    private static Optional<EventPosition> position(String name, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(EventPosition.parse(value).orElseThrow(
                () -> new InvalidInputException(name, "must be the id of a message sent by this stream")));
    }
}
