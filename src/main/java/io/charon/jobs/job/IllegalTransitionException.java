package io.charon.jobs.job;

/** A status change the state machine does not allow, such as touching a finished job. */
public class IllegalTransitionException extends RuntimeException {

    private final JobStatus from;
    private final JobStatus to;

    public IllegalTransitionException(JobStatus from, JobStatus to) {
        super("a " + from.wireName() + " job cannot become " + to.wireName());
        this.from = from;
        this.to = to;
    }

    public JobStatus from() {
        return from;
    }

    public JobStatus to() {
        return to;
    }
}
