package io.charon.jobs.dispatch;

import io.charon.jobs.queue.HostWaits;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;

/**
 * Sets aside, at every dispatch interval while the dispatcher claims, the queued jobs that wait
 * for hosts runs have held for {@link #LONG_HELD} or more ({@link HostWaits}). On PostgreSQL every
 * replica sweeps; two setting aside the same job record it once.
 */
@ApplicationScoped
public class HostWaitSweeper {

    private static final Logger LOG = Logger.getLogger(HostWaitSweeper.class);
    static final int BATCH = 2_000;
    /**
     * How long a run holds its hosts before its waiters are set aside. Jobs waiting behind a run
     * of a second are checked by a few claims at most; setting them aside costs two writes each.
     */
    static final Duration LONG_HELD = Duration.ofSeconds(1);

    private final HostWaits waits;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final FailureLog failures;

    public HostWaitSweeper(HostWaits waits, Dispatcher dispatcher, Clock clock) {
        this.waits = waits;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.failures = new FailureLog(LOG, clock, Dispatcher.FAILURE_LOG_INTERVAL, "setting aside jobs that wait for hosts");
    }

    @Scheduled(every = "${charon.jobs.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-host-waits")
    void scheduled() {
        if (!dispatcher.isClaiming()) {
            return;
        }
        try {
            sweep();
            failures.succeeded();
        } catch (RuntimeException e) {
            failures.failed(e);
        }
    }

    /** Sets aside every job waiting for a long-held host; returns how many waits it recorded. */
    int sweep() {
        int recorded = 0;
        int batch;
        do {
            batch = waits.setAside(clock.instant().minus(LONG_HELD), BATCH);
            recorded += batch;
        } while (batch == BATCH);
        return recorded;
    }
}
