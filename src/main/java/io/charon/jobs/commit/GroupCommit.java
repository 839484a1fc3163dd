package io.charon.jobs.commit;

import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit: callers that write at the same time share one transaction, so one disk flush
 * serves many of them instead of one each. Each caller still returns only after the transaction
 * holding its write has committed. A single writer thread takes whatever has queued up (at most
 * {@code maxBatch}) and hands it to the batch function, which runs the transaction.
 *
 * @param <I> what a caller asks to write
 * @param <O> what the caller gets back once it is committed
 */
public final class GroupCommit<I, O> implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final long CLOSE_CHECK_MILLIS = 200;

    /** One item's result in a batch: its value, or the error that concerns it alone. */
    public record Result<O>(O value, RuntimeException error) {
        public static <O> Result<O> of(O value) {
            return new Result<>(value, null);
        }

        public static <O> Result<O> failed(RuntimeException error) {
            return new Result<>(null, error);
        }
    }

    /**
     * What a batch's transaction produced: one result per item, in order, and what to do after
     * the commit before the callers are answered (so that, for instance, a job claimed along a
     * submission is registered as running before its submitter hears of it).
     */
    public record Written<O>(List<Result<O>> results, Runnable afterwards) {
        public static <O> Written<O> of(List<Result<O>> results) {
            return new Written<>(results, () -> {
            });
        }
    }

    private record Pending<I, O>(I item, CompletableFuture<O> done) {
    }

    private final BlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
    private final int maxBatch;
    private final Function<List<I>, Written<O>> writeBatch;
    private final Thread writer;
    private volatile boolean open = true;

    /**
     * @param writeBatch writes all items in one transaction and returns one result per item, in
     *                   order; if it throws, every caller of the batch gets that exception
     */
    public GroupCommit(String name, int maxBatch, Function<List<I>, Written<O>> writeBatch) {
        this.maxBatch = maxBatch;
        this.writeBatch = writeBatch;
        this.writer = new Thread(this::writeLoop, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code item} for the next batch; the future completes once that batch has committed. */
    public CompletableFuture<O> submit(I item) {
        if (!open) {
            return CompletableFuture.failedFuture(new IllegalStateException("the service is stopping"));
        }
        CompletableFuture<O> done = new CompletableFuture<>();
        queue.add(new Pending<>(item, done));
        return done;
    }

    /** Writes {@code item} in the next batch and waits until that batch has committed. */
    public O write(I item) {
        CompletableFuture<O> done = submit(item);
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the commit", e);
        }
    }

    private void writeLoop() {
        List<Pending<I, O>> batch = new ArrayList<>(maxBatch);
        while (true) {
            Pending<I, O> first;
            try {
                // a bounded wait, so a closed writer notices without being interrupted mid-transaction
                first = queue.poll(CLOSE_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (first == null) {
                if (!open) {
                    break;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            try {
                Written<O> written = writeBatch.apply(batch.stream().map(Pending::item).toList());
                try {
                    written.afterwards().run();
                } catch (RuntimeException e) {
                    LOG.errorf(e, "the follow-up of a group commit of %d writes failed", batch.size());
                }
                List<Result<O>> results = written.results();
                for (int i = 0; i < batch.size(); i++) {
                    Result<O> result = results.get(i);
                    if (result.error() != null) {
                        batch.get(i).done().completeExceptionally(result.error());
                    } else {
                        batch.get(i).done().complete(result.value());
                    }
                }
            } catch (RuntimeException e) {
                if (batch.size() > 1) {
                    LOG.warnf("a group commit of %d writes failed: %s", batch.size(), e.getMessage());
                }
                batch.forEach(pending -> pending.done().completeExceptionally(e));
            }
            batch.clear();
        }
        queue.forEach(pending -> pending.done().completeExceptionally(new IllegalStateException("the service is stopping")));
    }

    /** Stops taking writes; what is queued is still written. */
    @Override
    public void close() {
        open = false;
        try {
            writer.join(CLOSE_CHECK_MILLIS * 10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
