package io.charon.jobs.job;

import java.util.List;

/**
 * Where a job's runs wrote their output, oldest run first, and whether the job has ended (then
 * no further run and no further output will come).
 */
public record RunLogs(List<RunLog> runs, boolean ended) {

    /** One run's log file; {@code run} is the run's claim token, growing with every run. */
    public record RunLog(long run, String path) {
    }
}
