package io.charon.jobs.dispatch;

import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.observability.WorkerPoolLiveness;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slot reservations: two claims under way at once never count the same free slot. A slot held
 * past its deadline makes the pool's liveness check fail until it is freed.
 */
class WorkerPoolTest {

    private final WorkerPool pool = new WorkerPool(config(4, 2));
    private final CompletableFuture<Void> firstRun = new CompletableFuture<>();

    @AfterEach
    void stop() {
        firstRun.complete(null);
        pool.stop();
    }

    /**
     * A worker the runner could not free at the run's timeout (the runner itself kills at the
     * timeout, on the same clock, so only a wedged worker is left for this check to find).
     */
    @Test
    void aSlotHeldPastItsDeadlineFailsLivenessUntilItIsFreed() {
        Instant deadline = Instant.parse("2030-01-01T00:00:00Z");
        pool.start(deadline, () -> firstRun, () -> { });
        WorkerPoolLiveness before = new WorkerPoolLiveness(pool, Clock.fixed(deadline, ZoneOffset.UTC));
        assertThat(before.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);

        WorkerPoolLiveness after = new WorkerPoolLiveness(pool, Clock.fixed(deadline.plusSeconds(1), ZoneOffset.UTC));
        HealthCheckResponse wedged = after.call();
        assertThat(wedged.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(wedged.getData().orElseThrow()).containsEntry("overdueRuns", 1L);

        firstRun.complete(null);
        await().atMost(Duration.ofSeconds(60)).until(() -> after.call().getStatus() == HealthCheckResponse.Status.UP);
    }

    @Test
    void reservationsNeverExceedTheCap() {
        assertThat(pool.reserve(5, 0)).isEqualTo(2);
        assertThat(pool.reserve(1, 0)).as("both slots are reserved").isZero();
        assertThat(pool.freeSlots()).as("a reservation is not a running job").isEqualTo(2);

        pool.start(Instant.MAX, () -> firstRun, () -> { });
        pool.release(2);
        assertThat(pool.activeJobs()).isEqualTo(1);
        assertThat(pool.reserve(5, 0)).as("one slot left beside the running job").isEqualTo(1);
        pool.release(1);
    }

    @Test
    void slotsHandedOverByAnOutcomeCountAsFreeUntilTaken() {
        pool.start(Instant.MAX, () -> firstRun, () -> { });
        pool.start(Instant.MAX, () -> new CompletableFuture<Void>(), () -> { });
        assertThat(pool.reserve(5, 0)).as("both slots run").isZero();

        // a transaction recording the first run's outcome claims its successor
        assertThat(pool.reserve(5, 1)).isEqualTo(1);
        assertThat(pool.reserve(5, 1)).as("the handed-over slot is reserved already").isZero();

        firstRun.complete(null);
        await().atMost(Duration.ofSeconds(60)).until(() -> pool.activeJobs() == 1);
        assertThat(pool.reserve(5, 0)).as("the freed slot is still reserved for the successor").isZero();
        pool.release(1);
        assertThat(pool.reserve(5, 0)).isEqualTo(1);
    }

    @Test
    void aPoolWithAClaimUnderWayIsNotIdle() throws InterruptedException {
        assertThat(pool.reserve(1, 0)).isEqualTo(1);
        // at shutdown: the claimed job is about to start, so the pool must not be called idle yet
        assertThat(pool.awaitIdle(Duration.ofMillis(100))).isFalse();
        pool.release(1);
        assertThat(pool.awaitIdle(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void aPausedPoolReservesNothing() {
        pool.resize(0);
        assertThat(pool.reserve(5, 0)).isZero();
        pool.resize(1);
        assertThat(pool.reserve(5, 0)).isEqualTo(1);
    }

    private static JobsConfig config(int workers, int cap) {
        return (JobsConfig) Proxy.newProxyInstance(JobsConfig.class.getClassLoader(), new Class<?>[]{JobsConfig.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "workerCount" -> workers;
                    case "maxConcurrentJobs" -> cap;
                    case "shutdownGrace" -> Duration.ofSeconds(1);
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
