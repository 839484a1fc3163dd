package io.charon.jobs.job;

import java.util.List;

/** A running job that holds hosts a queued job waits for, and which of them. */
public record Blocker(String jobId, List<String> hosts) {
}
