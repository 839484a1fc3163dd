package io.charon.jobs.store;

import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Runs a whole transaction again when the database rolled it back to resolve a conflict with
 * another one: a deadlock (SQLState 40P01) or a serialization failure (40001). Row locks make
 * both rare on PostgreSQL (a batch locks its jobs in id order, but a failure cascade locks parent
 * before child, and claims lock in queue order); neither concerns the caller, who would get
 * the same answer a moment later. SQLite, one writer at a time, raises neither.
 */
public final class RolledBackByConflict {

    /** Runs of a transaction in all, the first included. */
    static final int ATTEMPTS = 5;

    private static final Logger LOG = Logger.getLogger(RolledBackByConflict.class);
    private static final String DEADLOCK = "40P01";
    private static final String SERIALIZATION_FAILURE = "40001";

    private RolledBackByConflict() {
    }

    /**
     * Runs {@code transaction} (which must begin and end its own transaction), again while the
     * database rolls it back for a conflict, at most {@link #ATTEMPTS} times in all.
     */
    public static <T> T retrying(String what, Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (RuntimeException e) {
                if (attempt >= ATTEMPTS || !isConflict(e)) {
                    throw e;
                }
                LOG.debugf("%s rolled back for a conflict with another transaction (attempt %d): %s", what, attempt,
                        e.getMessage());
            }
        }
    }

    /** As {@link #retrying(String, Supplier)}, for a transaction with no result. */
    public static void retrying(String what, Runnable transaction) {
        retrying(what, () -> {
            transaction.run();
            return null;
        });
    }

    /** True when {@code error} or anything it wraps is a deadlock or serialization failure. */
    public static boolean isConflict(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return isConflict(error, seen);
    }

    private static boolean isConflict(Throwable error, Set<Throwable> seen) {
        if (error == null || !seen.add(error)) {
            return false;
        }
        if (error instanceof SQLException sql && (DEADLOCK.equals(sql.getSQLState())
                || SERIALIZATION_FAILURE.equals(sql.getSQLState()) || isConflict(sql.getNextException(), seen))) {
            return true;
        }
        for (Throwable suppressed : error.getSuppressed()) {
            if (isConflict(suppressed, seen)) {
                return true;
            }
        }
        return isConflict(error.getCause(), seen);
    }
}
