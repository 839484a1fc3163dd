package io.charon.jobs.dispatch;

import io.charon.jobs.commit.ClaimsAlongWrites;
import io.charon.jobs.commit.ClaimsAlongWrites.Writer;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.job.RecordedEvent;
import io.charon.jobs.queue.ClaimedJob;
import io.charon.jobs.queue.JobQueue;
import io.charon.jobs.store.StoreNotices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Moves due jobs from the store to the worker pool. All dispatching happens on one thread, so
 * runs never overlap; it is woken by the scheduler tick, by every commit that makes a job
 * claimable or frees a dependency, by a worker that frees its slot, and by a timer set for the
 * next scheduled job, so an idle service starts a job within milliseconds of its commit.
 * Most claims are not made by these passes at all but inside the transactions that
 * store submissions and run outcomes ({@link ClaimsAlongWrites}): a submission to an idle
 * service is claimed in its own commit, and a finished run's slot goes to the next job in the
 * commit that records its outcome. The passes take what those leave (promoted scheduled jobs,
 * retries whose delay ran out, freed dependencies, a resized pool). Running what is claimed is
 * the {@link RunLauncher}'s.
 *
 * <p>Over 300 lines: the passes, what wakes them and the timer for the next scheduled job share
 * one thread and its state, and are kept together so that their ordering reads in one place.
 */
@ApplicationScoped
public class Dispatcher implements ClaimsAlongWrites {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final int PROMOTE_BATCH = 500;
    /** Jobs waiting for hosts reported per pass; the rest at the next. */
    private static final int REPORT_BATCH = 100;
    private static final long CLOSE_WAIT_SECONDS = 10;
    /** While passes keep failing (a store that cannot be written), how often that is logged. */
    static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

    private final JobQueue queue;
    private final WorkerPool pool;
    private final RunLauncher launcher;
    private final InstanceIdentity instance;
    private final JobsConfig config;
    private final Clock clock;
    private final ScheduledThreadPoolExecutor loop;
    private final FailureLog passFailures;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile boolean claiming;
    private volatile Instant lastPass = Instant.EPOCH;
    private ScheduledFuture<?> nextDueTimer;
    /** When {@link #nextDueTimer} fires; only the dispatcher thread touches either. */
    private Instant nextDueTimerAt;
    /** The scheduled time the latest timer that fired was set for. */
    private volatile Instant dueTimerFired;
    /** The earliest scheduled time as last read; only the dispatcher thread touches it. */
    private Optional<Instant> nextScheduled = Optional.empty();
    private volatile boolean scheduleChanged = true;
    /** Jobs claimed by a pass of this dispatcher's own. */
    private final Counter claimedByPass;
    /** Jobs claimed along another write, by writer. */
    private final Map<Writer, Counter> claimedAlong = new EnumMap<>(Writer.class);

    public Dispatcher(JobQueue queue, WorkerPool pool, RunLauncher launcher, InstanceIdentity instance, JobsConfig config,
                      Clock clock, MeterRegistry metrics) {
        this.queue = queue;
        this.pool = pool;
        this.launcher = launcher;
        this.instance = instance;
        this.config = config;
        this.clock = clock;
        this.passFailures = new FailureLog(LOG, clock, FAILURE_LOG_INTERVAL, "a dispatch pass");
        ScheduledThreadPoolExecutor dispatchThread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "charon-dispatcher");
            thread.setDaemon(true);
            return thread;
        });
        // at shutdown, a timer armed for a later scheduled job is dropped, not waited for
        dispatchThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        // a replaced timer leaves the queue at once: one set for a job days ahead would otherwise
        // stay there, with every pass adding another, until its time came
        dispatchThread.setRemoveOnCancelPolicy(true);
        this.loop = dispatchThread;
        this.claimedByPass = claimedCounter(metrics, "dispatcher");
        for (Writer writer : Writer.values()) {
            claimedAlong.put(writer, claimedCounter(metrics, writer.tag()));
        }
    }

    private static Counter claimedCounter(MeterRegistry metrics, String transaction) {
        return Counter.builder("charon.jobs.claimed").tag("transaction", transaction)
                .description("Jobs this instance claimed, by the transaction that claimed them: a dispatcher pass, or"
                        + " the commit of submissions or of run outcomes")
                .register(metrics);
    }

    /** Starts claiming; called once start-up work (orphan rescue) is done. */
    public void startClaiming() {
        queue.provideRunSlots();
        claiming = true;
        wake();
    }

    /** Stops claiming new jobs; running ones go on. */
    public void stopClaiming() {
        claiming = false;
    }

    public boolean isClaiming() {
        return claiming;
    }

    /** When the dispatcher last completed a pass (for liveness). */
    public Instant lastPass() {
        return lastPass;
    }

    @Scheduled(every = "${charon.jobs.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-dispatch-tick")
    void tick() {
        scheduleChanged = true;
        wake();
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RecordedEvent event) {
        if (JobEventType.CANCELLED.wireName().equals(event.type())) {
            // the store already says cancelled, which fenced the run out: now stop its processes
            launcher.stopCancelled(event.jobId());
        }
        if (JobEventType.SCHEDULED.wireName().equals(event.type())) {
            // a new scheduled time to set the timer for
            scheduleChanged = true;
            wake();
        } else if ((event.madeClaimable() || event.isTerminal()) && pool.freeSlots() > 0) {
            // claimable now, or a dependency freed; with no free slot, the next freed worker wakes us
            wake();
        }
    }

    /** What another replica committed (PostgreSQL): a job to claim, or one of ours cancelled. */
    void onStoreNotice(@Observes StoreNotices.Notice notice) {
        switch (notice.kind()) {
            case CANCELLED -> launcher.stopCancelled(notice.jobId());
            case CLAIMABLE -> {
                scheduleChanged = true;
                if (pool.freeSlots() > 0) {
                    wake();
                }
            }
            case EVENTS -> {
            }
        }
    }

    /** Asks for a dispatch pass; wakes arriving while one is pending are merged into it. */
    public void wake() {
        if (claiming && wakePending.compareAndSet(false, true)) {
            loop.execute(this::pass);
        }
    }

    private void pass() {
        wakePending.set(false);
        // the next tick retries; a store that stays unwritable would otherwise log every tick
        passFailures.attempt(this::dispatchOnce);
    }

    /** One pass: promote due scheduled jobs, then claim while there are free slots. Returns jobs started. */
    int dispatchOnce() {
        int started = 0;
        if (claiming) {
            // a read, and only when the schedule may have changed; the write transaction (which
            // takes SQLite's lock) only when something is due
            if (scheduleChanged) {
                scheduleChanged = false;
                nextScheduled = queue.nextScheduledTime();
            }
            if (nextScheduled.isPresent() && !nextScheduled.get().isAfter(clock.instant())) {
                while (queue.promoteDueScheduled(PROMOTE_BATCH) == PROMOTE_BATCH) {
                    // more were due than one batch: keep promoting
                }
                nextScheduled = queue.nextScheduledTime();
            }
            while (claiming) {
                int wanted = pool.reserve(config.claimBatchSize(), 0);
                if (wanted <= 0) {
                    break;
                }
                List<ClaimedJob> claimed;
                try {
                    claimed = queue.claim(wanted, instance.id());
                    startClaimed(claimed, claimedByPass);
                } finally {
                    // the started jobs hold slots of their own now; the rest is free again
                    pool.release(wanted);
                }
                started += claimed.size();
                if (claimed.size() < wanted) {
                    // workers left idle: whatever is queued and due waits for something, perhaps hosts
                    queue.reportBlocked(REPORT_BATCH);
                    break;
                }
            }
            armNextDueTimer();
        }
        lastPass = clock.instant();
        return started;
    }

    /**
     * Wakes the dispatcher when the next scheduled job falls due, rather than at a later tick.
     * A timer already set for that time stays: most passes do not change it.
     */
    private void armNextDueTimer() {
        Instant due = nextScheduled.orElse(null);
        if (nextDueTimer != null && !nextDueTimer.isDone() && due != null && due.equals(nextDueTimerAt)) {
            return;
        }
        if (nextDueTimer != null) {
            nextDueTimer.cancel(false);
            nextDueTimer = null;
        }
        if (due != null && !loop.isShutdown()) {
            long delay = Math.max(0, Duration.between(clock.instant(), due).toMillis());
            try {
                nextDueTimer = loop.schedule(() -> {
                    dueTimerFired = due;
                    wake();
                }, delay, TimeUnit.MILLISECONDS);
                nextDueTimerAt = due;
            } catch (RejectedExecutionException e) {
                // the service is stopping: there is no next pass to wake
            }
        }
    }

    /** The scheduled time for which a timer last woke the dispatcher; null before any. */
    Instant dueTimerFired() {
        return dueTimerFired;
    }

    /** Tasks waiting in the dispatcher's queue: the timer for the next scheduled job, and a pass when one is woken. */
    int queuedTasks() {
        return loop.getQueue().size();
    }

    /**
     * Claims in the caller's write transaction, after its writes, as many jobs as there are
     * worker slots free or being freed by it (on PostgreSQL, within the cluster's run slots,
     * which the outcomes it records give back in the same transaction).
     */
    @Override
    public AfterCommit claimInTransaction(Writer writer, int freeing) {
        if (!claiming || !queue.claimsAlongOtherWrites()) {
            return AfterCommit.NOTHING;
        }
        int reserved = pool.reserve(config.claimBatchSize(), freeing);
        if (reserved <= 0) {
            return AfterCommit.NOTHING;
        }
        List<ClaimedJob> claimed;
        try {
            claimed = queue.claimInCurrentTransaction(reserved, instance.id());
        } catch (RuntimeException | Error e) {
            pool.release(reserved);
            throw e;
        }
        return committed -> {
            try {
                if (committed) {
                    startClaimed(claimed, claimedAlong.get(writer));
                }
            } finally {
                pool.release(reserved);
            }
            if (!committed || claimed.size() < reserved) {
                // slots free again: a pass woken while they were reserved may have claimed nothing
                wake();
            }
        };
    }

    /** Starts claimed jobs; the caller holds a reservation for them, to give back afterwards. */
    private void startClaimed(List<ClaimedJob> claimed, Counter claims) {
        claimed.forEach(job -> launcher.launch(job, this::wake));
        claims.increment(claimed.size());
    }

    /**
     * Stops the dispatch thread (at shutdown, after the workers are done), letting a pass under
     * way finish first: the store closes right after, under it.
     */
    void close() {
        claiming = false;
        loop.shutdown();
        try {
            if (!loop.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
                loop.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            loop.shutdownNow();
        }
    }
}
