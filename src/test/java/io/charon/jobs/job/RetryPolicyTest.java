package io.charon.jobs.job;

import org.junit.jupiter.api.RepeatedTest;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(Duration.ofMinutes(5));

    @RepeatedTest(20)
    void delaysDoublePerRetryWithinTheJitterAndStopAtTheCap() {
        Duration base = Duration.ofSeconds(10);
        assertThat(policy.delayBeforeRetry(1, base)).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(11));
        assertThat(policy.delayBeforeRetry(2, base)).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(22));
        assertThat(policy.delayBeforeRetry(3, base)).isBetween(Duration.ofSeconds(36), Duration.ofSeconds(44));
        assertThat(policy.delayBeforeRetry(5, base)).isBetween(Duration.ofSeconds(144), Duration.ofSeconds(176));
        assertThat(policy.delayBeforeRetry(6, base)).isBetween(Duration.ofSeconds(270), Duration.ofMinutes(5));
        assertThat(policy.delayBeforeRetry(7, base)).isLessThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(policy.delayBeforeRetry(100, base)).isLessThanOrEqualTo(Duration.ofMinutes(5))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(270));
        assertThat(policy.delayBeforeRetry(3, Duration.ZERO)).isZero();
    }

    /** A delay whose doubling would reach the sign bit is capped, not turned negative. */
    @RepeatedTest(5)
    void doublingThatWouldOverflowStopsAtTheCap() {
        for (int retry = 1; retry <= 101; retry++) {
            for (Duration base : new Duration[]{Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofMillis(3),
                    Duration.ofMinutes(5), Duration.ofDays(365)}) {
                assertThat(policy.delayBeforeRetry(retry, base)).as("retry %d of %s", retry, base)
                        .isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
            }
        }
        assertThat(policy.delayBeforeRetry(62, Duration.ofMillis(4))).isGreaterThanOrEqualTo(Duration.ofSeconds(270));
    }
}
