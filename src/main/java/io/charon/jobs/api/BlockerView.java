package io.charon.jobs.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.charon.jobs.job.Blocker;

import java.util.List;

/** A running job holding hosts a queued job waits for: its id where the caller may see it, and the hosts. */
public record BlockerView(@JsonInclude(JsonInclude.Include.NON_NULL) String jobId, List<String> hosts) {

    static BlockerView of(Blocker blocker) {
        return new BlockerView(blocker.jobId(), blocker.hosts());
    }
}
