package io.charon.jobs.lifecycle;

import io.charon.jobs.execution.ExecutionOutcome;
import io.charon.jobs.job.JobStatus;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the dispatcher records of its runs, under the name it has always used, so that the
 * dispatcher changes by an import alone; the work is {@link RunRecorder}'s. Goes once the
 * dispatcher takes a {@link RunRecorder}.
 */
@ApplicationScoped
public class JobService {

    private final RunRecorder runs;

    public JobService(RunRecorder runs) {
        this.runs = runs;
    }

    /** See {@link RunRecorder#recordProgress}. */
    public boolean recordProgress(String jobId, long token, String message, String data) {
        return runs.recordProgress(jobId, token, message, data);
    }

    /** See {@link RunRecorder#finishRunLater}. */
    public CompletableFuture<Optional<JobStatus>> finishRunLater(String jobId, long token, ExecutionOutcome outcome) {
        return runs.finishRunLater(jobId, token, outcome);
    }
}
