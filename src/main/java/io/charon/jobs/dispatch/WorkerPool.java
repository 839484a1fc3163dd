package io.charon.jobs.dispatch;

import io.charon.jobs.config.JobsConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Worker threads that run claimed jobs. The dispatcher only claims as many jobs as there are
 * free slots, so work never waits in memory here: what waits, waits in the store.
 * Resizing changes the thread count without touching running jobs.
 */
@ApplicationScoped
public class WorkerPool {

    private final ThreadPoolExecutor executor;
    private final AtomicInteger active = new AtomicInteger();
    /** Slots reserved for jobs being claimed, not yet started. */
    private final AtomicInteger reserved = new AtomicInteger();
    /** When each taken slot should be free again at the latest. */
    private final Map<Object, Instant> deadlines = new ConcurrentHashMap<>();
    private final int maxConcurrentJobs;
    private volatile int workerCount;

    public WorkerPool(JobsConfig config) {
        this.workerCount = config.workerCount();
        this.maxConcurrentJobs = config.maxConcurrentJobs();
        AtomicInteger threadNumber = new AtomicInteger();
        // a pool of 0 workers is paused: it keeps one idle thread slot so it can be resized later
        this.executor = new ThreadPoolExecutor(Math.max(1, workerCount), Math.max(1, workerCount), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(task, "charon-worker-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.allowCoreThreadTimeOut(true);
    }

    /** Jobs that may start now: the smaller of worker count and concurrency cap, less what runs. */
    public int freeSlots() {
        return Math.min(workerCount, maxConcurrentJobs) - active.get();
    }

    /**
     * Takes up to {@code wanted} slots for jobs about to be claimed, so that two claims under way
     * at once (the dispatcher's own and one made along another write) cannot both count the same
     * free slot. {@code handedOver} slots are counted as free although still taken: their runs have
     * ended, and the outcomes committed with the claim give them back just after the claimed jobs
     * start (so {@link #activeJobs} may pass the cap for that moment; no more processes do). The reservation
     * is given back with {@link #release} once the claimed jobs have started ({@link #start}
     * takes a slot of its own), so a slot is never counted free in between.
     *
     * @return how many were reserved, possibly 0
     */
    public int reserve(int wanted, int handedOver) {
        while (true) {
            int taken = reserved.get();
            int free = freeSlots() + handedOver - taken;
            int granted = Math.min(wanted, Math.max(0, free));
            if (granted == 0 || reserved.compareAndSet(taken, taken + granted)) {
                return granted;
            }
        }
    }

    /** Gives back a reservation: its jobs have started, or were not claimed. */
    public void release(int count) {
        synchronized (active) {
            reserved.addAndGet(-count);
            active.notifyAll();
        }
    }

    public int activeJobs() {
        return active.get();
    }

    public int workerCount() {
        return workerCount;
    }

    public int maxConcurrentJobs() {
        return maxConcurrentJobs;
    }

    /**
     * Runs a claimed job on a worker thread. The thread is free as soon as {@code job} returns; the
     * slot stays taken until the stage it returns completes (its outcome is committed), so work
     * whose results are not yet stored counts against the cap and cannot pile up in memory.
     * {@code afterwards} runs once the slot is free again. {@code mustEndBy} is when the slot
     * should be free at the latest (the run's timeout, kill grace and time to store its outcome):
     * a slot held longer than that is wedged ({@link #overdueSlots}).
     */
    public void start(Instant mustEndBy, Supplier<? extends CompletionStage<?>> job, Runnable afterwards) {
        Object slot = new Object();
        deadlines.put(slot, mustEndBy);
        active.incrementAndGet();
        executor.execute(() -> {
            CompletionStage<?> settled;
            try {
                settled = job.get();
            } catch (RuntimeException e) {
                settled = CompletableFuture.failedFuture(e);
            }
            settled.whenComplete((result, error) -> {
                deadlines.remove(slot);
                synchronized (active) {
                    active.decrementAndGet();
                    active.notifyAll();
                }
                afterwards.run();
            });
        });
    }

    /** Slots held past the time they should have been free by: workers that are wedged. */
    public long overdueSlots(Instant now) {
        return deadlines.values().stream().filter(now::isAfter).count();
    }

    /**
     * Takes effect for the next claims; running jobs finish on their threads. 0 pauses the pool:
     * nothing new starts until it grows again.
     */
    public synchronized void resize(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("workerCount must not be negative");
        }
        int threads = Math.max(1, count);
        if (threads > executor.getMaximumPoolSize()) {
            executor.setMaximumPoolSize(threads);
            executor.setCorePoolSize(threads);
        } else {
            executor.setCorePoolSize(threads);
            executor.setMaximumPoolSize(threads);
        }
        workerCount = count;
    }

    /**
     * Waits for running jobs to end by themselves, and for claims under way to have started
     * theirs; true when none is left.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (active) {
            while (active.get() > 0 || reserved.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(active, left);
            }
        }
        return true;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
