package io.charon.jobs.observability;

import io.charon.jobs.dispatch.WorkerPool;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.WriteProbe;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Ready while the store answers and takes a write: one row of {@code health_probe} is updated and
 * committed through the service's own pool, waiting at most {@link #LOCK_WAIT_MS} for a lock it
 * needs rather than the store's long busy timeout (how: the store's {@link WriteProbe}). A store
 * whose lock is held by a stuck writer, whose file cannot be written or whose pool is exhausted is
 * not ready.
 */
@Readiness
@ApplicationScoped
public class StoreReadiness implements HealthCheck {

    static final int LOCK_WAIT_MS = 2000;

    private final DataSource store;
    private final QueueDepth queue;
    private final WorkerPool pool;
    private final Clock clock;
    private final WriteProbe probe;

    public StoreReadiness(Store store, WriteProbe probe, QueueDepth queue, WorkerPool pool, Clock clock) {
        this.store = store.dataSource();
        this.probe = probe;
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
        try (Connection connection = store.getConnection()) {
            probe.write(connection, new Timestamp(clock.millis()), LOCK_WAIT_MS);
        }
    }
}
