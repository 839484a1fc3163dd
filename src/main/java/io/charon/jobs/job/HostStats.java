package io.charon.jobs.job;

/** One host's line of the play recap. */
public record HostStats(int ok, int changed, int failed, int skipped, int unreachable, int rescued, int ignored) {
}
