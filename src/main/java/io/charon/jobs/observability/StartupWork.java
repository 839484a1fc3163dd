package io.charon.jobs.observability;

import io.charon.jobs.dispatch.ServiceLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

/**
 * Started once the store is migrated (Flyway runs before anything else) and the start-up work is
 * done: processes left behind by this instance's previous life stopped, its orphaned runs
 * settled, the dispatcher claiming. With many orphans that can take a while, which is what a
 * startup probe is for: liveness and readiness are only asked afterwards.
 */
@Startup
@ApplicationScoped
public class StartupWork implements HealthCheck {

    private final ServiceLifecycle lifecycle;
    private final MigrationsReadiness migrations;

    public StartupWork(ServiceLifecycle lifecycle, @Readiness MigrationsReadiness migrations) {
        this.lifecycle = lifecycle;
        this.migrations = migrations;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponse schema = migrations.call();
        var response = HealthCheckResponse.named("start-up")
                .status(lifecycle.isStarted() && schema.getStatus() == HealthCheckResponse.Status.UP)
                .withData("abandonedRunsStopped", lifecycle.abandonedRunsStopped())
                .withData("orphansSettled", lifecycle.orphansSettledAtStart());
        schema.getData().ifPresent(data -> data.forEach((key, value) -> response.withData("migrations." + key, value.toString())));
        return response.build();
    }
}
