package io.charon.jobs.job;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff: the job's retry delay, doubled for every attempt already retried,
 * spread by up to ±10% jitter so that jobs failing together do not retry together, and capped
 * by {@code charon.jobs.max-retry-delay}.
 */
public class RetryPolicy {

    static final double JITTER = 0.10;

    private final Duration maxDelay;

    /** @param maxDelay the cap on any delay ({@code charon.jobs.max-retry-delay}) */
    public RetryPolicy(Duration maxDelay) {
        this.maxDelay = maxDelay;
    }

    /** Delay before retry number {@code retry} (1 for the first retry). */
    public Duration delayBeforeRetry(int retry, Duration baseDelay) {
        long base = baseDelay.toMillis();
        long cap = maxDelay.toMillis();
        int doublings = retry - 1;
        // a shift that reaches the sign bit overflows: base << doublings is then past any cap
        long doubled = base == 0 ? 0 : doublings >= Long.numberOfLeadingZeros(base) - 1
                ? cap : Math.min(cap, base << doublings);
        double factor = 1 + JITTER * (2 * ThreadLocalRandom.current().nextDouble() - 1);
        return Duration.ofMillis(Math.min(cap, Math.round(doubled * factor)));
    }
}
