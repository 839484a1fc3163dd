package io.charon.jobs.events;

import io.charon.jobs.config.EventsConfig;
import io.charon.jobs.job.RecordedEvent;
import io.charon.jobs.store.StoreNotices;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.charon.jobs.dispatch.ServiceLifecycle.AFTER_SERVICE_LIFECYCLE;

/**
 * Live lifecycle events for subscribers in this process (SSE clients and embedding code).
 * <p>
 * One feed thread reads what was committed since its last read, in store order, and hands each
 * event to the subscribers whose filter it passes. It is woken after every commit that stored an
 * event and at least every {@code charon.events.poll-interval}. Workers never wait for it, and it
 * never waits for a subscriber: each has a bounded buffer, and one that falls more than
 * {@code charon.events.subscriber-buffer} events behind is cut off once it has read what its
 * buffer holds. It then resumes from the position of its last event, from the store, missing
 * nothing.
 * <p>
 * A subscription that names a starting position first replays the stored events after it, then
 * goes on live; it is registered for live events before the replay reads the store, and events
 * are passed on only past the last position delivered, so the switch neither skips nor repeats
 * one. Both read the same order, and what either reads is a prefix of it that can no longer grow
 * in the middle ({@link EventHistory}), so past the last position delivered nothing was missed.
 */
@ApplicationScoped
public class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class);
    static final int PAGE = 500;

    private final EventHistory history;
    private final EventsConfig config;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor feedThread;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Counter cutOff;
    /** Only the feed thread uses it. */
    private final HeldBackPause heldBack;
    private final ReadPacing pacing;
    /** The last event handed to subscribers; only the feed thread writes it. */
    private volatile EventPosition position = EventPosition.START;

    public EventFeed(EventHistory history, EventsConfig config, MeterRegistry metrics) {
        this.history = history;
        this.config = config;
        this.heldBack = new HeldBackPause(config.pollInterval());
        this.pacing = new ReadPacing(config.readInterval());
        this.feedThread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "charon-event-feed");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("charon.event.subscribers", subscriptions, Set::size)
                .description("Clients following the event feed on this instance (SSE streams)").strongReference(true)
                .register(metrics);
        this.cutOff = Counter.builder("charon.event.subscribers.cut.off")
                .description("Subscribers disconnected for falling too far behind").register(metrics);
    }

    void start(@Observes StartupEvent event) {
        position = history.newest();
        long every = config.pollInterval().toMillis();
        feedThread.scheduleWithFixedDelay(this::wake, every, every, TimeUnit.MILLISECONDS);
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RecordedEvent event) {
        wake();
    }

    /** Events another replica committed (PostgreSQL): read them now rather than at the next poll. */
    void onStoreNotice(@Observes StoreNotices.Notice notice) {
        if (notice.kind() == StoreNotices.Kind.EVENTS) {
            wake();
        }
    }

    /** Every event from now on that passes {@code filter}. */
    public Multi<FeedEvent> subscribe(EventFilter filter) {
        return subscribe(filter, Optional.empty());
    }

    /** Every event of the given types from now on (all types when empty). */
    public Multi<FeedEvent> subscribe(Set<String> types) {
        return subscribe(EventFilter.ofTypes(types));
    }

    /**
     * Events that pass {@code filter}: the stored ones after {@code after}, then live ones; from
     * now on when {@code after} is empty. The stream fails with a
     * {@link io.smallrye.mutiny.subscription.BackPressureFailure} if its subscriber falls too far
     * behind; subscribe again with the position of the last event received to resume.
     */
    public Multi<FeedEvent> subscribe(EventFilter filter, Optional<EventPosition> after) {
        return Multi.createFrom().deferred(() -> {
            Subscription subscription = new Subscription(filter);
            subscriptions.add(subscription);
            // read after registering: whatever commits later reaches the subscription live
            return Uni.createFrom().item(() -> after.orElseGet(history::newest))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .onItem().transformToMulti(start -> {
                        AtomicReference<EventPosition> delivered = new AtomicReference<>(start);
                        Multi<FeedEvent> replay = after.isPresent() ? replay(filter, start) : Multi.createFrom().empty();
                        return Multi.createBy().concatenating().streams(replay, subscription.live)
                                .select().where(event -> event.position().isAfter(delivered.get()))
                                .onItem().invoke(event -> delivered.set(event.position()));
                    })
                    .onTermination().invoke(() -> subscriptions.remove(subscription));
        });
    }

    /** The stored events after {@code after} that pass {@code filter}, read page by page on demand. */
    private Multi<FeedEvent> replay(EventFilter filter, EventPosition after) {
        AtomicReference<EventPosition> cursor = new AtomicReference<>(after);
        return Multi.createBy().repeating()
                .uni(() -> Uni.createFrom().item(() -> {
                    List<FeedEvent> page = history.after(cursor.get(), filter, PAGE);
                    if (!page.isEmpty()) {
                        cursor.set(page.get(page.size() - 1).position());
                    }
                    return page;
                }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                .whilst(page -> page.size() == PAGE)
                .onItem().disjoint();
    }

    /** Live subscriptions at this moment. */
    public int subscriberCount() {
        return subscriptions.size();
    }

    private void wake() {
        if (wakePending.compareAndSet(false, true)) {
            try {
                pacing.schedule(feedThread, this::deliverNew);
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                wakePending.set(false);
            }
        }
    }

    private void deliverNew() {
        wakePending.set(false);
        pacing.reading();
        try {
            // read before looking at the subscriptions: one that registers meanwhile starts at or
            // after this position, so moving the position here cannot skip an event it is owed
            EventPosition newest = history.newest();
            if (subscriptions.isEmpty()) {
                if (newest.isAfter(position)) {
                    position = newest;
                }
                return;
            }
            EventPosition before = position;
            List<FeedEvent> batch;
            do {
                batch = history.after(position, EventFilter.all(), PAGE);
                for (FeedEvent event : batch) {
                    subscriptions.forEach(subscription -> subscription.offer(event));
                }
                if (!batch.isEmpty()) {
                    position = batch.get(batch.size() - 1).position();
                }
            } while (batch.size() == PAGE);
            heldBack.lookAgainIfHeldBack(history, feedThread, this::wake, position.isAfter(before));
        } catch (RuntimeException e) {
            // the next wake-up reads from the same position again
            LOG.warnf("reading new events failed, retrying: %s", e.getMessage());
        }
    }

    /** At shutdown, before the store closes: no more reads, and every stream ends cleanly. */
    void stop(@Observes @Priority(AFTER_SERVICE_LIFECYCLE) ShutdownEvent event) {
        feedThread.shutdownNow();
        subscriptions.forEach(subscription -> subscription.live.onComplete());
    }

    /** One subscriber's filter and bounded buffer of live events. */
    private final class Subscription {

        private final EventFilter filter;
        private final UnicastProcessor<FeedEvent> live;

        Subscription(EventFilter filter) {
            this.filter = filter;
            // a full buffer fails the stream once the subscriber has read what it holds
            this.live = UnicastProcessor.create(new ArrayBlockingQueue<>(config.subscriberBuffer()), this::ended);
        }

        void offer(FeedEvent event) {
            if (filter.matches(event)) {
                live.onNext(event);
            }
        }

        private void ended() {
            if (subscriptions.remove(this) && live.hasSubscriber()) {
                cutOff.increment();
                LOG.debugf("a subscriber fell %d events behind and is cut off", config.subscriberBuffer());
            }
        }
    }
}
