package io.charon.jobs.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value worked out at most once per {@code ttl} (by the service's clock): for probes too costly
 * to repeat on every health request, such as starting a process.
 */
final class Cached<T> {

    private final Clock clock;
    private final Duration ttl;
    private final Supplier<T> compute;
    private T value;
    private Instant computedAt;

    Cached(Clock clock, Duration ttl, Supplier<T> compute) {
        this.clock = clock;
        this.ttl = ttl;
        this.compute = compute;
    }

    synchronized T get() {
        Instant now = clock.instant();
        if (computedAt == null || !now.isBefore(computedAt.plus(ttl))) {
            value = compute.get();
            computedAt = now;
        }
        return value;
    }

    synchronized Instant computedAt() {
        return computedAt;
    }
}
