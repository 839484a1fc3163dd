package io.charon.jobs.dispatch;

import io.charon.jobs.lifecycle.StartDeadlines;
import io.charon.jobs.queue.JobQueue;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Cancels the jobs that could not start by their start deadline, at every dispatch interval while
 * the dispatcher claims. Each sweep reads one entry, the earliest pending deadline, without a
 * transaction; only when it has passed does a write transaction take the late jobs. On
 * PostgreSQL every replica sweeps, each passing over the jobs another one has locked.
 */
@ApplicationScoped
public class StartDeadlineSweeper {

    private static final Logger LOG = Logger.getLogger(StartDeadlineSweeper.class);
    static final int BATCH = 500;

    private final JobQueue queue;
    private final StartDeadlines deadlines;
    private final Dispatcher dispatcher;
    private final Clock clock;
    private final FailureLog failures;

    public StartDeadlineSweeper(JobQueue queue, StartDeadlines deadlines, Dispatcher dispatcher, Clock clock) {
        this.queue = queue;
        this.deadlines = deadlines;
        this.dispatcher = dispatcher;
        this.clock = clock;
        this.failures = new FailureLog(LOG, clock, Dispatcher.FAILURE_LOG_INTERVAL, "the start deadline sweep");
    }

    @Scheduled(every = "${charon.jobs.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-start-deadlines")
    void scheduled() {
        // before start-up is done and once a shutdown began, nothing starts anyway, and the store may be closing
        if (!dispatcher.isClaiming()) {
            return;
        }
        failures.attempt(this::sweep);
    }

    /** Cancels every job whose start deadline has passed; returns how many. */
    int sweep() {
        Optional<Instant> earliest = queue.earliestStartDeadline();
        if (earliest.isEmpty() || earliest.get().isAfter(clock.instant())) {
            return 0;
        }
        int cancelled = 0;
        int batch;
        do {
            batch = deadlines.cancelPastDeadline(BATCH);
            cancelled += batch;
        } while (batch == BATCH);
        return cancelled;
    }
}
