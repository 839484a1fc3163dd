package io.charon.jobs.events;

import com.fasterxml.jackson.annotation.JsonRawValue;

import java.time.Instant;
import java.util.List;

/**
 * A stored lifecycle event as subscribers receive it. {@code id} is the store-wide position of
 * the event (the resumable cursor, sent as the SSE id); {@code seq} numbers the job's own events;
 * {@code data} is a JSON object or null; {@code tags} are the job's tags; {@code userId} is the
 * job's owner.
 */
public record FeedEvent(long id, String jobId, long seq, String type, String status, String message,
                        @JsonRawValue String data, Instant timestamp, List<String> tags, String userId) {
}
