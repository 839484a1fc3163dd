package io.charon.jobs.store.sqlite;

import org.sqlite.JDBC;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.jdbc4.JDBC4Connection;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The SQLite driver, with one change to when transactions take the write lock.
 *
 * <p>sqlite-jdbc opens the next transaction inside {@code commit()} and {@code rollback()},
 * with the connection's transaction mode. With {@code transaction_mode=IMMEDIATE} that next
 * {@code BEGIN IMMEDIATE} takes the database's write lock again at once: every commit then waits
 * behind whichever transaction holds the lock, and when that wait outlasts the busy timeout,
 * {@code commit()} throws although the commit itself succeeded. Here the transaction opened after
 * a commit or rollback is a plain (deferred) {@code BEGIN}, which takes no lock; a transaction
 * that starts ({@code setAutoCommit(false)}, as the pool does for each one) still begins
 * {@code IMMEDIATE}, so read-then-write transactions keep their protection against
 * {@code SQLITE_BUSY_SNAPSHOT}.
 *
 * <p>Writers of this process also queue for the write lock in Java, first come first served,
 * before {@code BEGIN IMMEDIATE}: SQLite's busy handler lets a waiting writer sleep in growing
 * steps and retry, so under load a claim or a group commit could wait hundreds of milliseconds
 * while others took the lock in between. The queue is a fair semaphore per database file; a
 * writer that cannot get it within the busy timeout goes on to SQLite's own locking, so a
 * mistake here can slow a transaction down but never block it for good.
 *
 * <p>A connection is refused while the database file (or its write-ahead log) cannot be written:
 * SQLite would open it read-only, and such a connection stays read-only after the file is
 * writable again, failing every write it is lent for. Refused, the pool tries again with the
 * next request and gets a read-write connection as soon as the file can be written.
 */
public class SqliteDriver extends JDBC {

    /** One queue of writers per database file of this process. */
    private static final Map<String, Semaphore> WRITERS = new ConcurrentHashMap<>();

    /** How many of this process's writers may start a transaction on {@code file} now: 1, or 0. */
    static int freeWriterLines(String file) {
        Semaphore writers = WRITERS.get(file);
        return writers == null ? 1 : writers.availablePermits();
    }

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!isValidURL(url)) {
            return null;
        }
        String trimmed = url.trim();
        String address = trimmed.length() == PREFIX.length() ? ":memory:" : trimmed.substring(PREFIX.length());
        String file = address.contains("?") ? address.substring(0, address.indexOf('?')) : address;
        refuseUnwritable(file);
        Semaphore writers = WRITERS.computeIfAbsent(file, name -> new Semaphore(1, true));
        return new LockOnStartConnection(trimmed, address, info, writers);
    }

    /** Throws SQLITE_READONLY when {@code file}, a database file's path, exists but cannot be written now. */
    static void refuseUnwritable(String file) throws SQLException {
        if (file.isEmpty() || file.startsWith(":") || file.startsWith("file:")) {
            return; // in memory, or a URI: nothing this check could read
        }
        for (String name : new String[]{file, file + "-wal"}) {
            Path path;
            try {
                path = Path.of(name);
            } catch (InvalidPathException e) {
                return; // SQLite reports what is wrong with the name
            }
            if (Files.exists(path) && !Files.isWritable(path)) {
                throw new SQLiteException("the store file " + path + " cannot be written now; a connection opened"
                        + " now would stay read-only", SQLiteErrorCode.SQLITE_READONLY);
            }
        }
    }

    static final class LockOnStartConnection extends JDBC4Connection {

        private final Semaphore writers;
        private boolean reopening;
        private boolean inLine;

        LockOnStartConnection(String url, String address, Properties info, Semaphore writers) throws SQLException {
            super(url, address, info);
            this.writers = writers;
        }

        @Override
        public void setAutoCommit(boolean autoCommit) throws SQLException {
            if (!autoCommit && getAutoCommit() && !inLine) {
                try {
                    inLine = writers.tryAcquire(getBusyTimeout(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SQLException("interrupted while waiting to write", e);
                }
            }
            try {
                super.setAutoCommit(autoCommit);
            } catch (SQLException e) {
                if (!autoCommit) {
                    // the driver marks a transaction open before its BEGIN runs: a BEGIN that failed
                    // (busy) opened none, and the pool must get the connection back in autocommit
                    getConnectionConfig().setAutoCommit(true);
                }
                throw e;
            } finally {
                if (autoCommit || getAutoCommit()) {
                    leaveLine();
                }
            }
        }

        @Override
        public void close() throws SQLException {
            try {
                super.close();
            } finally {
                leaveLine();
            }
        }

        private void leaveLine() {
            if (inLine) {
                inLine = false;
                writers.release();
            }
        }

        @Override
        protected String transactionPrefix() {
            return reopening ? "begin;" : super.transactionPrefix();
        }

        @Override
        public void commit() throws SQLException {
            reopeningAfter(super::commit);
        }

        @Override
        public void rollback() throws SQLException {
            reopeningAfter(super::rollback);
        }

        /** Runs a commit or rollback, during which the driver re-opens the next transaction. */
        private void reopeningAfter(SqlAction endOfTransaction) throws SQLException {
            reopening = true;
            try {
                endOfTransaction.run();
            } finally {
                reopening = false;
                // the transaction is over; the one the driver re-opened takes no lock
                leaveLine();
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
