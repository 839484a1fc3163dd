package io.charon.jobs.job;

/** The request does not fit the job's current status, e.g. cancelling a finished job. */
public class JobConflictException extends RuntimeException {

    public JobConflictException(String message) {
        super(message);
    }
}
