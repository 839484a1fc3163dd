package io.charon.jobs.store.postgresql;

import io.charon.jobs.store.ClusterWork;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One replica at a time through a session advisory lock of a pooled connection, released when the
 * work ends (or with the connection, should the process die).
 */
public class AdvisoryLocks implements ClusterWork {

    private final DataSource dataSource;

    public AdvisoryLocks(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean exclusively(long key, Runnable work) {
        try (Connection connection = dataSource.getConnection()) {
            if (!advisoryLock(connection, "SELECT pg_try_advisory_lock(?)", key)) {
                return false;
            }
            try {
                work.run();
                return true;
            } finally {
                advisoryLock(connection, "SELECT pg_advisory_unlock(?)", key);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the store lock " + key + ": " + e.getMessage(), e);
        }
    }

    /** Another replica may have taken a turn since this one's last: the relay's cursor, for one, is read again. */
    @Override
    public boolean movesBetweenReplicas() {
        return true;
    }

    private static boolean advisoryLock(Connection connection, String sql, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, key);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        }
    }
}
