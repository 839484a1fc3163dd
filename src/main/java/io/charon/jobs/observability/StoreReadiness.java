package io.charon.jobs.observability;

import io.charon.jobs.dispatch.WorkerPool;
import io.charon.jobs.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Ready while the store answers and takes a write: one row of {@code health_probe} is updated and
 * committed through the service's own pool, waiting at most {@link #LOCK_WAIT_MS} for SQLite's
 * write lock (rather than the store's long busy timeout). A store whose lock is held by a stuck
 * writer, whose file cannot be written or whose pool is exhausted is not ready.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    static final int LOCK_WAIT_MS = 2000;

    private final DataSource store;
    private final QueueDepth queue;
    private final WorkerPool pool;
    private final Clock clock;
    private final boolean postgres;

    public StoreReadiness(Store store, QueueDepth queue, WorkerPool pool, Clock clock) {
        this.store = store.dataSource();
        this.postgres = store.postgres();
        this.queue = queue;
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("store")
                .withData("queuedJobs", queue.total())
                .withData("runningJobs", pool.activeJobs());
        long began = System.nanoTime();
        try {
            write();
            return response.up().withData("writeMs", (System.nanoTime() - began) / 1_000_000).build();
        } catch (SQLException | RuntimeException e) {
            return response.down().withData("reason", "the store does not take a write: " + e.getMessage()).build();
        }
    }

    private void write() throws SQLException {
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement()) {
            if (postgres) {
                // the row, not the cluster's writer lock: a busy lock would take every replica out of
                // the Service at once, while a stuck writer shows in the dispatcher's liveness
                inTransaction(connection, statement, "BEGIN", "SET LOCAL lock_timeout = " + LOCK_WAIT_MS);
                return;
            }
            long busyTimeout = pragma(connection, "busy_timeout");
            statement.execute("PRAGMA busy_timeout = " + LOCK_WAIT_MS);
            try {
                inTransaction(connection, statement, "BEGIN IMMEDIATE");
            } finally {
                statement.execute("PRAGMA busy_timeout = " + busyTimeout);
            }
        }
    }

    /**
     * Runs {@code opening}, updates the probe row and commits. Statements, not the JDBC transaction
     * API: a BEGIN that fails leaves no transaction behind for the connection to trip over when it
     * goes back to the pool.
     */
    private void inTransaction(Connection connection, Statement statement, String... opening) throws SQLException {
        statement.execute(opening[0]);
        try {
            for (int i = 1; i < opening.length; i++) {
                statement.execute(opening[i]);
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE health_probe SET checked_at = ? WHERE id = 1")) {
                update.setTimestamp(1, new Timestamp(clock.millis()));
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

    private static long pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

}
