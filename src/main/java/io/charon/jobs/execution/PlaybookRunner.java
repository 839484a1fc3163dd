package io.charon.jobs.execution;

/**
 * Runs a playbook to its end. Blocks the calling worker thread; never throws for what a
 * playbook or the machine can do wrong, but reports it in the outcome.
 */
public interface PlaybookRunner {

    ExecutionOutcome run(ExecutionRequest request, ProgressListener progress, RunHandle handle);
}
