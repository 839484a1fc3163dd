package io.charon.jobs.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.config.EventsConfig;
import io.charon.jobs.events.EventFilter;
import io.charon.jobs.events.EventHistory;
import io.charon.jobs.events.EventPosition;
import io.charon.jobs.events.HeldBackPause;
import io.charon.jobs.events.ReadPacing;
import io.charon.jobs.events.FeedEvent;
import io.charon.jobs.job.RecordedEvent;
import io.charon.jobs.store.ClusterWork;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.charon.jobs.dispatch.ServiceLifecycle.AFTER_SERVICE_LIFECYCLE;

/**
 * Publishes every stored event, in store order, on the outgoing channel {@code job-events}
 * (with the RabbitMQ bridge on: to the topic exchange, routing key = event type), as a
 * CloudEvent. The event table is the outbox: a batch is sent, and the relay's cursor moves past
 * it only once the channel confirmed every message of it (publisher confirms with RabbitMQ).
 * While the broker is unreachable, jobs go on and events wait in the store; the relay tries
 * again with growing pauses and, once the broker is back, delivers everything in order.
 * Delivery is at least once: a batch cut short is sent again, with the same CloudEvent ids.
 */
@ApplicationScoped
public class EventRelay {

    private static final Logger LOG = Logger.getLogger(EventRelay.class);
    static final String CURSOR = "job-events";
    static final int BATCH = 256;
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(15);
    /** The cursor is written at most this often: a crash repeats at most this much, never loses. */
    private static final long SAVE_EVERY_MILLIS = 200;
    /** Advisory lock key: one relaying replica at a time. */
    static final long RELAY_LOCK = 0x636861726f6e02L;

    private final EventHistory history;
    private final RelayCursors cursors;
    private final EventsConfig config;
    private final ClusterWork cluster;
    private final ObjectMapper json;
    private final Emitter<String> channel;
    private final Counter published;
    private final ScheduledThreadPoolExecutor relayThread;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final HeldBackPause heldBack;
    private final ReadPacing pacing;
    /** Only the relay thread touches these. */
    private EventPosition cursor = EventPosition.START;
    private EventPosition savedCursor = EventPosition.START;
    private long savedAt;
    private Duration pause = FIRST_PAUSE;
    private boolean failing;
    private volatile boolean started;

    public EventRelay(EventHistory history, RelayCursors cursors, EventsConfig config, ObjectMapper json,
                      @Channel("job-events") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 2 * BATCH)
                      Emitter<String> channel, MeterRegistry metrics, ClusterWork cluster) {
        this.cluster = cluster;
        this.history = history;
        this.cursors = cursors;
        this.config = config;
        this.heldBack = new HeldBackPause(config.pollInterval());
        this.pacing = new ReadPacing(config.readInterval());
        this.json = json;
        this.channel = channel;
        this.published = Counter.builder("charon.events.published")
                .description("Events confirmed by the job-events channel").register(metrics);
        this.relayThread = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "charon-event-relay");
            thread.setDaemon(true);
            return thread;
        });
        // a retry waiting for the broker is not worth holding up shutdown for
        relayThread.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    void start(@Observes StartupEvent event) {
        relayThread.execute(() -> {
            // the first start with a bridge publishes from now on, not the whole history
            cursor = cursors.read(CURSOR).orElseGet(() -> {
                EventPosition now = history.newest();
                cursors.save(CURSOR, now);
                return now;
            });
            savedCursor = cursor;
            started = true;
            relay();
        });
        long every = config.pollInterval().toMillis();
        relayThread.scheduleWithFixedDelay(this::wake, every, every, TimeUnit.MILLISECONDS);
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RecordedEvent event) {
        wake();
    }

    private void wake() {
        if (started && !failing && wakePending.compareAndSet(false, true)) {
            try {
                pacing.schedule(relayThread, this::relay);
            } catch (RejectedExecutionException stopping) {
                wakePending.set(false);
            }
        }
    }

    private void relay() {
        wakePending.set(false);
        pacing.reading();
        try {
            // one replica relays at a time, from the cursor the last one saved
            if (!cluster.exclusively(RELAY_LOCK, this::relayFromStoredCursor)) {
                return; // another replica relays now; the next poll looks again
            }
        } catch (RuntimeException e) {
            if (relayThread.isShutdown()) {
                LOG.debugf("relay stopped by shutdown: %s", e.getMessage());
                return;
            }
            LOG.warnf("cannot take the relay lock (%s); the next poll retries", e.getMessage());
        }
    }

    private void relayFromStoredCursor() {
        if (cluster.movesBetweenReplicas()) {
            cursor = cursors.read(CURSOR).orElse(cursor);
            savedCursor = cursor;
        }
        try {
            EventPosition before = cursor;
            List<FeedEvent> batch;
            do {
                batch = history.after(cursor, EventFilter.all(), BATCH);
                if (batch.isEmpty()) {
                    break;
                }
                send(batch);
                cursor = batch.get(batch.size() - 1).position();
                published.increment(batch.size());
                saveCursor(false);
            } while (batch.size() == BATCH);
            saveCursor(true);
            heldBack.lookAgainIfHeldBack(history, relayThread, this::wake, cursor.isAfter(before));
            if (failing) {
                LOG.infof("the job-events channel takes events again; relayed up to event %s", cursor.cursor());
                failing = false;
                pause = FIRST_PAUSE;
            }
        } catch (RuntimeException | TimeoutException e) {
            if (relayThread.isShutdown()) {
                // the service is stopping and the store may be closing under this batch; the cursor
                // has not moved past it (stop() saves it), so it is sent again at the next start
                LOG.debugf("relay stopped by shutdown at event %s: %s", cursor.cursor(), e.getMessage());
                return;
            }
            if (!failing) {
                LOG.warnf("events cannot be published on the job-events channel (%s); they wait in the store",
                        e.getMessage());
            }
            failing = true;
            relayThread.schedule(this::relay, pause.toMillis(), TimeUnit.MILLISECONDS);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    /** Sends a batch and waits until the channel confirmed all of it. */
    private void send(List<FeedEvent> batch) throws TimeoutException {
        List<CompletableFuture<Void>> confirmations = new ArrayList<>(batch.size());
        for (FeedEvent event : batch) {
            CloudEvent cloudEvent = CloudEvent.of(event, config.source());
            CompletableFuture<Void> confirmed = new CompletableFuture<>();
            confirmations.add(confirmed);
            OutgoingRabbitMQMetadata rabbit = new OutgoingRabbitMQMetadata.Builder()
                    .withRoutingKey(event.type())
                    .withContentType(CloudEvent.MEDIA_TYPE)
                    .withMessageId(cloudEvent.id())
                    .withDeliveryMode(2)
                    .withTimestamp(event.timestamp().atZone(ZoneOffset.UTC))
                    .build();
            channel.send(Confirmations.reporting(Message.of(encode(cloudEvent)).addMetadata(rabbit), confirmed));
        }
        try {
            CompletableFuture.allOf(confirmations.toArray(CompletableFuture[]::new))
                    .get(config.publishTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void saveCursor(boolean now) {
        long time = System.currentTimeMillis();
        if (!cursor.equals(savedCursor) && (now || time - savedAt >= SAVE_EVERY_MILLIS)) {
            cursors.save(CURSOR, cursor);
            savedCursor = cursor;
            savedAt = time;
        }
    }

    private String encode(CloudEvent event) {
        try {
            return json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + event.id(), e);
        }
    }

    /** At shutdown, before the store closes: the relay stops and keeps its position. */
    void stop(@Observes @Priority(AFTER_SERVICE_LIFECYCLE) ShutdownEvent event) {
        relayThread.shutdown();
        try {
            relayThread.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (started && !cursor.equals(savedCursor)) {
            try {
                cursors.save(CURSOR, cursor);
            } catch (RuntimeException e) {
                LOG.debugf("relay cursor not saved at shutdown: %s", e.getMessage());
            }
        }
    }
}
