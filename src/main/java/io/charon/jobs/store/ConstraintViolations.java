package io.charon.jobs.store;

import org.hibernate.exception.ConstraintViolationException;

/**
 * Writes the store refused for breaking a constraint: most often a name that another transaction
 * stored first, between this one's check and its insert (PostgreSQL replicas; SQLite serializes
 * writers).
 */
public final class ConstraintViolations {

    private ConstraintViolations() {
    }

    /** Whether {@code error}, or one of its causes, is a constraint's refusal. */
    public static boolean causedBy(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
