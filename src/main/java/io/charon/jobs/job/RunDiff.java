package io.charon.jobs.job;

import java.util.List;

/**
 * The diff of a check-mode run: each host's per-task changes in the order the run reported them,
 * and whether some were left out (or cut short) by the size limit.
 */
public record RunDiff(boolean truncated, List<DiffEntry> entries) {

    public static final RunDiff NONE = new RunDiff(false, List.of());

    public RunDiff {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
