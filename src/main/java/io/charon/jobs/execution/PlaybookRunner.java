package io.charon.jobs.execution;

/**
 * Runs a playbook to its end. Blocks the calling worker thread; never throws for what a
 * playbook or the machine can do wrong, but reports it in the outcome.
 */
public interface PlaybookRunner {

    ExecutionOutcome run(ExecutionRequest request, ProgressListener progress, RunHandle handle);

    /**
     * Stops what runs of {@code owner} left behind when it died without shutting down (kill -9):
     * called at start-up, before anything is claimed, so no abandoned playbook process runs on
     * beside the job's next attempt.
     *
     * @return how many abandoned runs had processes still alive
     */
    int stopAbandonedRuns(String owner);
}
