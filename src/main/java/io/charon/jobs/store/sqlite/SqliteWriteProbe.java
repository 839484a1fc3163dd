package io.charon.jobs.store.sqlite;

import io.charon.jobs.store.WriteProbe;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/** Waits for the database's write lock ({@code BEGIN IMMEDIATE}) with a busy timeout of its own. */
public class SqliteWriteProbe implements WriteProbe {

    @Override
    public void write(Connection connection, Timestamp now, int lockWaitMs) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long busyTimeout = pragma(connection, "busy_timeout");
            statement.execute("PRAGMA busy_timeout = " + lockWaitMs);
            try {
                WriteProbe.updateInTransaction(connection, statement, now, "BEGIN IMMEDIATE");
            } finally {
                statement.execute("PRAGMA busy_timeout = " + busyTimeout);
            }
        }
    }

    private static long pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            return row.next() ? row.getLong(1) : 0;
        }
    }
}
