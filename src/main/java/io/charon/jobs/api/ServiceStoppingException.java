package io.charon.jobs.api;

/**
 * New work refused because the service is stopping: answered 503 with {@code Retry-After}, so
 * the client submits again to another instance, or to this one once it has restarted.
 */
public class ServiceStoppingException extends RuntimeException {

    /** Seconds a client waits before it submits again: enough for a replacement to be routed to. */
    static final int RETRY_AFTER_SECONDS = 5;

    public ServiceStoppingException() {
        super("the service is stopping and takes no new jobs; submit again to another instance or after the restart");
    }
}
