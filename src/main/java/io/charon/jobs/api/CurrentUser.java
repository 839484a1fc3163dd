package io.charon.jobs.api;

import io.charon.jobs.job.Actor;
import io.charon.jobs.job.Job;
import io.charon.jobs.job.JobNotFoundException;
import io.charon.jobs.security.Role;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who makes the request: the authenticated principal, never a value from the request body.
 * Admins see every user's jobs; everyone else sees only their own, and another user's job is
 * answered as if it did not exist.
 */
@ApplicationScoped
public class CurrentUser {

    /** The user of requests without a token (public paths), and of every request in development mode. */
    public static final String ANONYMOUS = "anonymous";

    private final SecurityIdentity identity;

    public CurrentUser(SecurityIdentity identity) {
        this.identity = identity;
    }

    public String id() {
        return identity.isAnonymous() ? ANONYMOUS : identity.getPrincipal().getName();
    }

    public boolean isAdmin() {
        return identity.hasRole(Role.ADMIN_NAME);
    }

    /** The user as the job service knows an actor: whose jobs it creates, and which jobs it may depend on. */
    public Actor actor() {
        return new Actor(id(), isAdmin());
    }

    /** The owner that this user's reads are restricted to: null for an admin (every owner). */
    public String ownerScope() {
        return isAdmin() ? null : id();
    }

    /** The job, if this user may see it; otherwise the same 404 as for a job that does not exist. */
    public Job visible(Job job) {
        if (!isAdmin() && !id().equals(job.getUserId())) {
            throw new JobNotFoundException(job.getId());
        }
        return job;
    }

    /**
     * The owner filter of a listing: an admin may name any user or none; anyone else may name only
     * themselves, and is restricted to themselves when they name nobody.
     */
    public String ownerFilter(String asked) {
        if (isAdmin()) {
            return asked;
        }
        if (asked != null && !asked.equals(id())) {
            throw new io.quarkus.security.ForbiddenException("only an admin may see other users' jobs");
        }
        return id();
    }
}
