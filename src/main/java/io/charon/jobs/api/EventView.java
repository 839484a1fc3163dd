package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.charon.jobs.job.JobEvent;

import java.time.Instant;

/** A lifecycle event as the API shows it; {@code data} is a JSON object or null. */
public record EventView(long id, String jobId, long seq, String type, String status, String message,
                        @JsonRawValue String data, Instant timestamp) {

    static EventView of(JobEvent event) {
        return new EventView(event.getId(), event.getJobId(), event.getSeq(), event.getType(), event.getStatus(),
                event.getMessage(), event.getData(), event.getCreatedAt());
    }
}
