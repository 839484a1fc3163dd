package io.charon.jobs.observability;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.dispatch.Dispatcher;
import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Live while the dispatcher completes its passes: the scheduler asks for one every
 * {@code charon.jobs.dispatch-interval}, so a last pass older than ten intervals (at least a
 * minute) means its thread is stuck, or every pass fails. Before start-up work is done and while
 * draining for shutdown the dispatcher rests by design, and that is not a failure.
 */
@Liveness
@ApplicationScoped
public class DispatcherLiveness implements HealthCheck {

    static final Duration MIN_ALLOWED_AGE = Duration.ofMinutes(1);
    static final int ALLOWED_INTERVALS = 10;

    private final Dispatcher dispatcher;
    private final QueueDepth queue;
    private final Clock clock;
    private final Duration maxAge;

    public DispatcherLiveness(Dispatcher dispatcher, QueueDepth queue, Clock clock, JobsConfig config) {
        this.dispatcher = dispatcher;
        this.queue = queue;
        this.clock = clock;
        Duration interval = DurationConverter.parseDuration(config.dispatchInterval());
        Duration intervals = interval.multipliedBy(ALLOWED_INTERVALS);
        this.maxAge = intervals.compareTo(MIN_ALLOWED_AGE) > 0 ? intervals : MIN_ALLOWED_AGE;
    }

    @Override
    public HealthCheckResponse call() {
        Instant last = dispatcher.lastPass();
        boolean claiming = dispatcher.isClaiming();
        var response = HealthCheckResponse.named("dispatcher")
                .withData("claiming", claiming)
                .withData("maxPassAgeMs", maxAge.toMillis())
                .withData("queuedJobs", queue.total());
        if (last.equals(Instant.EPOCH)) {
            response.withData("lastPass", "none yet");
        } else {
            long age = Duration.between(last, clock.instant()).toMillis();
            response.withData("lastPass", last.toString()).withData("lastPassAgeMs", age);
            if (claiming && age > maxAge.toMillis()) {
                return response.down().withData("reason", "no dispatch pass for " + Duration.ofMillis(age)).build();
            }
        }
        return response.up().build();
    }
}
