package io.charon.jobs.workflow;

/** Not possible in the workflow's (or run's) present state: its name is taken, or the run ended. */
public class WorkflowConflictException extends RuntimeException {

    public WorkflowConflictException(String message) {
        super(message);
    }
}
