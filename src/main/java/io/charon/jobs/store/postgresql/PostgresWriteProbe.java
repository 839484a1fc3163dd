package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.WriteProbe;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/**
 * Waits for the probe row's lock, not the cluster's writer lock: a busy writer lock would take
 * every replica out of the Service at once, while a stuck writer shows in the dispatcher's
 * liveness. A plain statement transaction, so the writer lock is not taken (see the writer lock).
 */
public class PostgresWriteProbe implements WriteProbe {

    @Override
    public void write(Connection connection, Timestamp now, int lockWaitMs) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            WriteProbe.updateInTransaction(connection, statement, now, "BEGIN", "SET LOCAL lock_timeout = " + lockWaitMs);
        }
    }
}
