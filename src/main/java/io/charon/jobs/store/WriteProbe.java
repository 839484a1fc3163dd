package io.charon.jobs.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;

/** The readiness check's write: how it waits for the locks the store's writes need. */
public interface WriteProbe {

    /**
     * Updates the row of {@code health_probe} and commits on {@code connection}, waiting at most
     * {@code lockWaitMs} for a lock it needs.
     */
    void write(Connection connection, Timestamp now, int lockWaitMs) throws SQLException;

    /**
     * Runs {@code opening}, updates the probe row and commits. Statements, not the JDBC
     * transaction API: a BEGIN that fails leaves no transaction behind for the connection to trip
     * over when it goes back to the pool.
     */
    static void updateInTransaction(Connection connection, Statement statement, Timestamp now, String... opening)
            throws SQLException {
        statement.execute(opening[0]);
        try {
            for (int i = 1; i < opening.length; i++) {
                statement.execute(opening[i]);
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE health_probe SET checked_at = ? WHERE id = 1")) {
                update.setTimestamp(1, now);
                if (update.executeUpdate() != 1) {
                    throw new SQLException("the health_probe row is missing");
                }
            }
            statement.execute("COMMIT");
        } catch (SQLException e) {
            try {
                statement.execute("ROLLBACK");
            } catch (SQLException rollback) {
                // a COMMIT that failed (disk full) has already rolled back: the reason is its error
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }
}
