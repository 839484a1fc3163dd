package io.charon.jobs.events;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * How soon a reader of the event log looks again while stored events wait behind a transaction
 * still running (see {@link EventHistory#heldBack()}): that transaction may end without a notice,
 * so the reader does not wait for its poll. 5 ms at first, doubling while reads find nothing new,
 * up to the poll interval: a transaction left open for long costs a few reads, not hundreds a
 * second. Used by one thread.
 */
public final class HeldBackPause {

    private static final long FIRST_MILLIS = 5;

    private final long longestMillis;
    private long millis = FIRST_MILLIS;

    public HeldBackPause(Duration longest) {
        this.longestMillis = Math.max(FIRST_MILLIS, longest.toMillis());
    }

    /**
     * Schedules {@code look} on {@code thread} if {@code history} holds events back.
     *
     * @param progressed whether the read just made found new events
     */
    public void lookAgainIfHeldBack(EventHistory history, ScheduledExecutorService thread, Runnable look,
                                    boolean progressed) {
        if (progressed) {
            millis = FIRST_MILLIS;
        }
        if (!history.heldBack()) {
            millis = FIRST_MILLIS;
            return;
        }
        thread.schedule(look, millis, TimeUnit.MILLISECONDS);
        if (!progressed) {
            millis = Math.min(millis * 2, longestMillis);
        }
    }
}
