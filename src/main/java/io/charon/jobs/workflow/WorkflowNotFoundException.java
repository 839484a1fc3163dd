package io.charon.jobs.workflow;

/** No workflow (version, or run) of that name or id, or none the caller may see: both answer alike. */
public class WorkflowNotFoundException extends RuntimeException {

    public WorkflowNotFoundException(String message) {
        super(message);
    }
}
