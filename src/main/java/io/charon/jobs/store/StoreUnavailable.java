package io.charon.jobs.store;

import org.sqlite.SQLiteException;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Whether an error says the store cannot take work right now, for reasons of its own rather than
 * of the request: its file cannot be written or opened, its disk is full or failing, its write
 * lock stayed taken past the busy timeout (SQLite); the server is unreachable, shutting down,
 * out of resources or read-only (PostgreSQL). Such errors pass once their cause is gone, and the
 * API answers them with 503 and {@code Retry-After} rather than 500.
 */
public final class StoreUnavailable {

    // SQLite's primary result codes (sqlite3.h); SQLiteException#getErrorCode gives the primary code
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;

    private StoreUnavailable() {
    }

    /**
     * Whether {@code error}, or anything it was caused by, is such an error. Suppressed exceptions
     * count too: a commit that failed reaches the caller as a rollback, with the driver's error
     * suppressed in it.
     */
    public static boolean causedBy(Throwable error) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> toVisit = new ArrayDeque<>();
        toVisit.add(error);
        while (!toVisit.isEmpty()) {
            Throwable next = toVisit.poll();
            if (!seen.add(next)) {
                continue;
            }
            if (next instanceof SQLException sql) {
                if (is(sql)) {
                    return true;
                }
                if (sql.getNextException() != null) {
                    toVisit.add(sql.getNextException());
                }
            }
            if (next.getCause() != null) {
                toVisit.add(next.getCause());
            }
            toVisit.addAll(Arrays.asList(next.getSuppressed()));
        }
        return false;
    }

    /** Whether {@code error} itself is such an error. */
    public static boolean is(SQLException error) {
        if (error instanceof SQLiteException) {
            int code = error.getErrorCode();
            return code == SQLITE_BUSY || code == SQLITE_FULL || brokenSqliteConnection(error);
        }
        String state = error.getSQLState();
        return state != null && (state.startsWith("08") // connection exception
                || state.startsWith("53") // insufficient resources: disk full, out of memory, too many connections
                || state.startsWith("57P") // the server shuts down or cannot take connections yet
                || state.equals("25006") // read-only transaction: a standby
                || state.equals("58030")); // I/O error
    }

    /**
     * Whether a SQLite connection that threw {@code error} should not be used again: it was opened
     * read-only (SQLite falls back to that when the file cannot be opened for writing, and such a
     * connection stays read-only after the file is writable again), it failed to reach its files, or
     * its disk was full (a COMMIT that fails so leaves the driver believing a transaction is still
     * open). A new connection opened once the cause is gone works again.
     */
    public static boolean brokenSqliteConnection(SQLException error) {
        if (!(error instanceof SQLiteException)) {
            return false;
        }
        int code = error.getErrorCode();
        return code == SQLITE_READONLY || code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL;
    }
}
