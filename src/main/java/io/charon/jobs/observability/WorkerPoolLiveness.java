package io.charon.jobs.observability;

import io.charon.jobs.dispatch.WorkerPool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Clock;

/**
 * Live while no worker slot is held past its deadline: a run is killed at its timeout, so a slot
 * still taken a minute after its timeout and kill grace belongs to a worker that is stuck.
 */
@Liveness
@ApplicationScoped
public class WorkerPoolLiveness implements HealthCheck {

    private final WorkerPool pool;
    private final Clock clock;

    public WorkerPoolLiveness(WorkerPool pool, Clock clock) {
        this.pool = pool;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        long overdue = pool.overdueSlots(clock.instant());
        var response = HealthCheckResponse.named("worker-pool")
                .withData("workerCount", pool.workerCount())
                .withData("maxConcurrentJobs", pool.maxConcurrentJobs())
                .withData("runningJobs", pool.activeJobs())
                .withData("overdueRuns", overdue);
        if (overdue > 0) {
            return response.down().withData("reason", overdue + " runs hold their worker past their timeout").build();
        }
        return response.up().build();
    }
}
