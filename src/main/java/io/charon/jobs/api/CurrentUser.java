package io.charon.jobs.api;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who makes the request. Until authentication exists every request acts as {@code anonymous};
 * the owner of a job is never taken from the request body.
 */
@ApplicationScoped
public class CurrentUser {

    public static final String ANONYMOUS = "anonymous";

    public String id() {
        return ANONYMOUS;
    }
}
