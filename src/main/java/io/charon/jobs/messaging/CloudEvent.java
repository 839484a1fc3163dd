package io.charon.jobs.messaging;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.charon.jobs.events.FeedEvent;

import java.time.Instant;

/**
 * A lifecycle event in CloudEvents 1.0 structured JSON form, as published to a broker.
 * {@code id} ({@code <job id>:<seq>}) is the same whenever the event is sent again, so
 * consumers can drop repeats; {@code subject} is the job id.
 */
@RegisterForReflection // read or written by an ObjectMapper of its own, not by a REST endpoint's: a native build needs it registered
public record CloudEvent(String specversion, String id, String source, String type, String subject, Instant time,
                         String datacontenttype, FeedEvent data) {

    public static final String MEDIA_TYPE = "application/cloudevents+json";

    public static CloudEvent of(FeedEvent event, String source) {
        return new CloudEvent("1.0", event.jobId() + ":" + event.seq(), source, event.type(), event.jobId(),
                event.timestamp(), "application/json", event);
    }
}
