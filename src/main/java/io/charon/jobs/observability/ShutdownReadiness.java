package io.charon.jobs.observability;

import io.charon.jobs.dispatch.ServiceLifecycle;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Not ready once the service drains for shutdown: it claims nothing more while its running jobs
 * get {@code charon.jobs.shutdown-grace} to finish.
 */
@Readiness
@ApplicationScoped
public class ShutdownReadiness implements HealthCheck {

    private final ServiceLifecycle lifecycle;

    public ShutdownReadiness(ServiceLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        boolean draining = lifecycle.isDraining();
        return HealthCheckResponse.named("shutdown")
                .status(!draining)
                .withData("draining", draining)
                .build();
    }
}
