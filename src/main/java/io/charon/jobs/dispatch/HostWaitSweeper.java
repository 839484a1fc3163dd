package io.charon.jobs.dispatch;

import io.charon.jobs.queue.HostWaits;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * Sets aside, while the dispatcher claims, the queued jobs that wait for hosts runs have held for
 * {@link #LONG_HELD} or more ({@link HostWaits}). At every dispatch interval it looks for runs
 * that became long holders since it last looked, and sets aside their waiters only: looking at
 * every waiter of every long-held host would cost as much as the claims it saves. Every
 * {@link #EVERY_HOLDER} it looks at them all, for jobs submitted since onto hosts already held,
 * and jobs one lock's release brought back that another lock still keeps waiting. On PostgreSQL
 * every replica sweeps; two setting aside the same job record it once.
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
    /** How often the waiters of every long-held host are looked at. */
    static final Duration EVERY_HOLDER = Duration.ofSeconds(30);

    private final HostWaits waits;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final FailureLog failures;
    /** The long holders whose waiters were set aside; only the scheduler's thread touches these. */
    private Set<String> swept = Set.of();
    private Instant everyHolderSwept = Instant.MIN;

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
        failures.attempt(this::sweep);
    }

    /**
     * Sets aside the jobs waiting for hosts of runs that became long holders since the last
     * sweep, or of every long holder when that is due; returns how many waits it recorded.
     */
    int sweep() {
        Instant now = clock.instant();
        Instant heldSince = now.minus(LONG_HELD);
        Set<String> holders = waits.longHolders(heldSince);
        boolean everyHolder = !now.isBefore(everyHolderSwept.plus(EVERY_HOLDER));
        Set<String> fresh = new HashSet<>(holders);
        fresh.removeAll(swept);
        int recorded = 0;
        int batch;
        do {
            batch = waits.setAside(heldSince, everyHolder ? null : fresh, BATCH);
            recorded += batch;
        } while (batch == BATCH);
        swept = holders;
        if (everyHolder) {
            everyHolderSwept = now;
        }
        return recorded;
    }
}
