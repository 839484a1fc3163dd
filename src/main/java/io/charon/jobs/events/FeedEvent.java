package io.charon.jobs.events;

import io.quarkus.runtime.annotations.RegisterForReflection;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.List;

/**
 * A stored lifecycle event as subscribers receive it. {@code id} identifies the event in the
 * store; {@code seq} numbers the job's own events; {@code data} is a JSON object or null;
 * {@code tags} are the job's tags; {@code userId} is the job's owner. {@code transaction} is the
 * first half of its {@link #position()}, which is not part of its JSON: clients get the position
 * as the SSE id.
 */
@RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
public record FeedEvent(long id, String jobId, long seq, String type, String status, String message,
                        @JsonRawValue String data, Instant timestamp, List<String> tags, String userId,
                        @JsonIgnore long transaction) {

    /** Where the event lies in the order every reader agrees on: the resumable cursor. */
    @JsonIgnore
    public EventPosition position() {
        return new EventPosition(transaction, id);
    }
}
