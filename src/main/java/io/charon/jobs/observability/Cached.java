package io.charon.jobs.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A value worked out at most once per {@code ttl} (by the service's clock): for probes too costly
 * to repeat on every health request, such as starting a process.
 *
 * <p>The work runs on {@code worker}. Once there is a value, a caller never waits: a due refresh
 * starts in the background and callers get the value it is meant to replace until it ends, so a
 * probe that is only slow (a loaded machine) neither reads as a failed one nor holds a health
 * request past the prober's own timeout. Before the first value, a caller waits for it at most
 * {@code patience}, and gets nothing if it takes longer.
 */
final class Cached<T> {

    private final Clock clock;
    private final Duration ttl;
    private final Duration patience;
    private final Supplier<T> compute;
    private final Executor worker;
    private T value;
    private Instant computedAt;
    private CompletableFuture<T> refreshing;

    Cached(Clock clock, Duration ttl, Duration patience, Executor worker, Supplier<T> compute) {
        this.clock = clock;
        this.ttl = ttl;
        this.patience = patience;
        this.worker = worker;
        this.compute = compute;
    }

    /** The value, with a refresh started if it is older than the ttl; null while the first one is still being worked out. */
    T get() {
        CompletableFuture<T> refresh = startRefreshIfDue();
        if (refresh != null && computedAt() == null) {
            try {
                // adopted here too: the callback that adopts it may not have run yet
                adopt(refresh, refresh.get(patience.toMillis(), TimeUnit.MILLISECONDS), null);
            } catch (TimeoutException e) {
                // slow, not failed: the last value stands until the refresh ends
            } catch (ExecutionException e) {
                // the work threw: nothing to adopt, the next call after the ttl tries again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            return value;
        }
    }

    private synchronized CompletableFuture<T> startRefreshIfDue() {
        if (refreshing != null) {
            return refreshing;
        }
        Instant now = clock.instant();
        if (computedAt != null && now.isBefore(computedAt.plus(ttl))) {
            return null;
        }
        CompletableFuture<T> refresh = CompletableFuture.supplyAsync(compute, worker);
        refreshing = refresh;
        refresh.whenComplete((computed, error) -> adopt(refresh, computed, error));
        return refresh;
    }

    /** Takes the outcome of {@code refresh}, once: whichever of the caller and the callback comes first. */
    private synchronized void adopt(CompletableFuture<T> refresh, T computed, Throwable error) {
        if (refreshing != refresh) {
            return;
        }
        refreshing = null;
        if (error == null) {
            value = computed;
        }
        computedAt = clock.instant();
    }

    /** When the value was worked out; null before the first one. */
    synchronized Instant computedAt() {
        return computedAt;
    }

    /** Whether a refresh is under way (one that outlasted a caller's patience, after {@link #get()}). */
    synchronized boolean refreshing() {
        return refreshing != null;
    }
}
