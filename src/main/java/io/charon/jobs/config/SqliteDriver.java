package io.charon.jobs.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import org.sqlite.JDBC;
import org.sqlite.jdbc4.JDBC4Connection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

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
 */
@RegisterForReflection
public class SqliteDriver extends JDBC {

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        if (!isValidURL(url)) {
            return null;
        }
        String trimmed = url.trim();
        String address = trimmed.length() == PREFIX.length() ? ":memory:" : trimmed.substring(PREFIX.length());
        return new LockOnStartConnection(trimmed, address, info);
    }

    static final class LockOnStartConnection extends JDBC4Connection {

        private boolean reopening;

        LockOnStartConnection(String url, String address, Properties info) throws SQLException {
            super(url, address, info);
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
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run() throws SQLException;
    }
}
