package io.charon.jobs.job;

import java.util.List;

/** A running job that holds hosts a queued job waits for, whose user it is, and which of the hosts. */
public record Blocker(String jobId, String userId, List<String> hosts) {

    /** As {@code actor} may see it: another user's job is not named, only the hosts it holds. */
    public Blocker seenBy(Actor actor) {
        return actor.seesAllJobs() || actor.userId().equals(userId) ? this : new Blocker(null, null, hosts);
    }
}
