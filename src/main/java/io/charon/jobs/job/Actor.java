package io.charon.jobs.job;

/**
 * Who changes jobs: the owner of the jobs it creates, and whether it may refer to every user's
 * jobs (an admin) or only to its own ({@code dependsOn}).
 */
public record Actor(String userId, boolean seesAllJobs) {

    /** A user who sees only their own jobs. */
    public static Actor user(String userId) {
        return new Actor(userId, false);
    }

    public boolean maySee(Job job) {
        return seesAllJobs || userId.equals(job.getUserId());
    }
}
