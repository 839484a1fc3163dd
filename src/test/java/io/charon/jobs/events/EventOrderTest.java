package io.charon.jobs.events;

import io.charon.jobs.store.Store;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.EventLog;
import io.charon.jobs.support.SseClient;
import io.charon.jobs.support.SseClient.Message;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Writers commit concurrently, in an order other than the one they took their event ids in, while
 * readers follow the event log: an SSE client that reconnects with {@code Last-Event-ID} every
 * few messages, a live feed subscription and a reader paging the store. Each must get every event
 * exactly once, and all of them in the same order. On PostgreSQL the writers are separate
 * connections committing at once, as the write transactions of several replicas are.
 */
@QuarkusTest
@Tag("postgresql-only") // SQLite has one writer at a time: its writers could not all hold a transaction open at once
class EventOrderTest {

    private static final int WRITERS = 6;
    private static final int ROUNDS = 30;
    private static final int EVENTS_PER_TRANSACTION = 2;
    /** The SSE reader reconnects after this many messages. */
    private static final int RECONNECT_EVERY = 17;
    private static final Duration LONG = Duration.ofSeconds(90);

    @Inject
    Store store;

    @Inject
    EventFeed feed;

    @Inject
    EventHistory history;

    @Test
    void readersOfConcurrentWritersFindNoHoleNoRepeatAndTheSameOrder() throws Exception {
        String tag = "writers-" + UUID.randomUUID();
        // jobs that stay scheduled: their event rows are the writers' only changes
        List<String> jobs = IntStream.range(0, WRITERS).mapToObj(i -> Api.submit(Api.with(Api.with(
                Api.job("writer-" + i, "hello.yml"), "tags", List.of(tag)),
                "scheduledAt", Instant.now().plus(Duration.ofDays(1)).toString()))).toList();
        EventFilter progress = new EventFilter(java.util.Set.of("job.progress"), null, tag);
        int expected = WRITERS * ROUNDS * EVENTS_PER_TRANSACTION;

        AssertSubscriber<FeedEvent> live = feed.subscribe(progress, Optional.of(EventPosition.START)).subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        CompletableFuture<List<Long>> sse = CompletableFuture.supplyAsync(() -> followWithReconnects(tag, expected));
        CompletableFuture<List<Long>> paged = CompletableFuture.supplyAsync(() -> page(progress, expected));

        ConcurrentLinkedQueue<Long> ids = new ConcurrentLinkedQueue<>();
        CyclicBarrier allInserted = new CyclicBarrier(WRITERS);
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        List<List<Integer>> commitOrders = commitOrders();
        List<CountDownLatch> turns = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (int i = 0; i < WRITERS; i++) {
                turns.add(new CountDownLatch(1));
            }
        }
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> write(jobs.get(writer), writer, ids, allInserted, commitOrders, turns)));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(LONG.toSeconds(), TimeUnit.SECONDS);
        assertThat(ids).hasSize(expected);

        List<Long> bySse = sse.get(LONG.toSeconds(), TimeUnit.SECONDS);
        List<Long> byPaging = paged.get(LONG.toSeconds(), TimeUnit.SECONDS);
        await().atMost(LONG).until(() -> live.getItems().size() >= expected);
        live.cancel();
        List<Long> byFeed = live.getItems().stream().map(FeedEvent::id).toList();

        assertThat(new HashSet<>(byPaging)).as("no hole").isEqualTo(new HashSet<>(ids));
        assertThat(byPaging).as("no repeat").doesNotHaveDuplicates().hasSize(expected);
        assertThat(bySse).as("the same order for an SSE client that reconnects").isEqualTo(byPaging);
        assertThat(byFeed).as("the same order for a live subscription").isEqualTo(byPaging);
        assertThat(EventLog.idsInLogOrder(history, jobs).stream().filter(new HashSet<>(ids)::contains).toList())
                .as("the order the store keeps").isEqualTo(byPaging);
    }

    /**
     * Each round every writer inserts its events (taking ids), waits until all have, then commits
     * in its turn of the round's shuffled order: commits never follow the order ids were taken in.
     */
    private void write(String jobId, int writer, ConcurrentLinkedQueue<Long> ids, CyclicBarrier allInserted,
                       List<List<Integer>> commitOrders, List<CountDownLatch> turns) {
        long seq = 1000;
        try (Connection connection = store.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            for (int round = 0; round < ROUNDS; round++) {
                List<Long> mine = new ArrayList<>();
                for (int e = 0; e < EVENTS_PER_TRANSACTION; e++) {
                    mine.add(insertEvent(connection, jobId, seq++, "round " + round + " writer " + writer));
                }
                allInserted.await(LONG.toSeconds(), TimeUnit.SECONDS);
                List<Integer> order = commitOrders.get(round);
                int turn = order.indexOf(writer);
                if (turn > 0) {
                    assertThat(turns.get(round * WRITERS + turn - 1).await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
                }
                connection.commit();
                ids.addAll(mine);
                turns.get(round * WRITERS + turn).countDown();
            }
        } catch (Exception e) {
            throw new IllegalStateException("writer " + writer + " failed: " + e.getMessage(), e);
        }
    }

    private static long insertEvent(Connection connection, String jobId, long seq, String message) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO job_events (job_id, seq, type, status, message, created_at)
                VALUES (?, ?, 'job.progress', 'scheduled', ?, ?) RETURNING id""")) {
            insert.setString(1, jobId);
            insert.setLong(2, seq);
            insert.setString(3, message);
            insert.setTimestamp(4, Timestamp.from(Instant.now()));
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Per round, the writers in the order they commit: reversed and shuffled, never the order of their inserts. */
    private static List<List<Integer>> commitOrders() {
        Random random = new Random(20);
        List<List<Integer>> orders = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            List<Integer> order = new ArrayList<>(IntStream.range(0, WRITERS).boxed().toList());
            Collections.shuffle(order, random);
            orders.add(order);
        }
        return orders;
    }

    /** An SSE client that hangs up every few messages and resumes from the last one's id. */
    private static List<Long> followWithReconnects(String tag, int expected) {
        List<Long> received = new ArrayList<>();
        String last = "0";
        while (received.size() < expected) {
            try (SseClient client = SseClient.resume("/api/v1/events?type=job.progress&tag=" + tag, last)) {
                for (int i = 0; i < RECONNECT_EVERY && received.size() < expected; i++) {
                    Message message = client.next(LONG);
                    received.add(JsonPath.from(message.data()).getLong("id"));
                    last = message.id();
                }
            }
        }
        return received;
    }

    /** A reader paging the store a few events at a time, from the position of the last one read. */
    private List<Long> page(EventFilter filter, int expected) {
        List<Long> read = new ArrayList<>();
        EventPosition[] cursor = {EventPosition.START};
        await().atMost(LONG).pollInterval(Duration.ofMillis(5)).until(() -> {
            for (FeedEvent event : history.after(cursor[0], filter, 7)) {
                assertThat(event.position().isAfter(cursor[0])).isTrue();
                read.add(event.id());
                cursor[0] = event.position();
            }
            return read.size() >= expected;
        });
        return read;
    }
}
