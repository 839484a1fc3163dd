package io.charon.jobs.api;

import io.charon.jobs.job.DiffEntry;
import io.charon.jobs.job.RunDiff;

import java.util.List;

/**
 * A job's diff as the API shows it: what its last check-mode run would have changed, per host and
 * task, as unified diff text with its secrets masked; no entries for a job that ran in run mode.
 * {@code truncated}: entries were left out, or cut short, by {@code charon.jobs.diff-max-bytes}.
 */
public record DiffView(String jobId, boolean truncated, List<DiffEntry> entries) {

    static DiffView of(String jobId, RunDiff diff) {
        return new DiffView(jobId, diff.truncated(), diff.entries());
    }
}
