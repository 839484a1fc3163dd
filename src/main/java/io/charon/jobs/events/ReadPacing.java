package io.charon.jobs.events;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * When a reader of the event log, woken by commits, reads: at once after a quiet spell, but no
 * sooner than {@code charon.events.read-interval} after its previous read while commits keep
 * coming. Under load each read then takes the events of many commits instead of one or two: a
 * read is a round trip and, on PostgreSQL, a query planned for its position, and readers woken
 * by every commit cost the store as much as the updates of the jobs themselves.
 */
public final class ReadPacing {

    private final long intervalNanos;
    /** When the last read began (System.nanoTime); written by the reader's thread. */
    private volatile long lastRead;

    public ReadPacing(Duration interval) {
        this.intervalNanos = interval.toNanos();
        this.lastRead = System.nanoTime() - intervalNanos;
    }

    /** Runs {@code read} on {@code thread} once the interval since the previous read has passed. */
    public void schedule(ScheduledExecutorService thread, Runnable read) {
        long wait = lastRead + intervalNanos - System.nanoTime();
        if (wait <= 0) {
            thread.execute(read);
        } else {
            thread.schedule(read, wait, TimeUnit.NANOSECONDS);
        }
    }

    /** Called by the reader as a read begins. */
    public void reading() {
        lastRead = System.nanoTime();
    }
}
