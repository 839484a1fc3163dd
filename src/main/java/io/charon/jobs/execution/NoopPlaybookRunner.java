package io.charon.jobs.execution;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

/**
 * Ends every run at once with success, starting no process: {@code charon.jobs.runner=noop}.
 * For measuring the queue, claim and store machinery alone (benchmarks), never for real work.
 */
@ApplicationScoped
@Typed(NoopPlaybookRunner.class)
public class NoopPlaybookRunner implements PlaybookRunner {

    @Override
    public ExecutionOutcome run(ExecutionRequest request, ProgressListener progress, RunHandle handle) {
        return new ExecutionOutcome(ExecutionOutcome.Kind.SUCCEEDED, 0, null, "", null);
    }

    @Override
    public int stopAbandonedRuns(String owner) {
        return 0;
    }
}
