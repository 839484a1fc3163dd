package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.WriteProbe;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Waits for the probe row's lock only, at most the given time: one replica's stuck writer must not
 * take every replica out of the Service, and shows in its dispatcher's liveness instead.
 */
public class PostgresWriteProbe implements WriteProbe {

    @Override
    public void write(Connection connection, Timestamp now, int lockWaitMs) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            WriteProbe.updateInTransaction(connection, statement, now, "BEGIN", "SET LOCAL lock_timeout = " + lockWaitMs);
        }
    }
}
