package io.charon.jobs.job;

public class JobNotFoundException extends RuntimeException {

    private final String jobId;

    public JobNotFoundException(String jobId) {
        super("no job with id " + jobId);
        this.jobId = jobId;
    }

    public String jobId() {
        return jobId;
    }
}
