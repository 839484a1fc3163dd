package io.charon.jobs.events;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.EventLog;
import io.charon.jobs.support.DefaultToken;
import io.charon.jobs.support.SseClient;
import io.charon.jobs.support.SseClient.Message;
import io.charon.jobs.support.TunedServiceProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureFailure;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Subscribers that stop reading: jobs and other subscribers go on at full pace, and the stalled
 * one is cut off once its small buffer is full, then resumes from the store missing nothing.
 */
@QuarkusTest
@TestProfile(TunedServiceProfile.class) // subscriber buffers of 8 events
class SlowSubscriberTest {

    @Inject
    EventHistory history;

    @Inject
    EventFeed feed;

    @Inject
    MeterRegistry metrics;

    @Test
    void aStalledSubscriberDelaysNoJobAndNoOtherSubscriberAndResumesWithoutGaps() throws Exception {
        String tag = "slow-" + UUID.randomUUID();
        EventFilter mine = new EventFilter(null, null, tag);
        // requests nothing: the feed may only buffer for it
        AssertSubscriber<FeedEvent> stalled = feed.subscribe(mine).subscribe().withSubscriber(AssertSubscriber.create(0));
        try (Socket stalledHttp = stalledSseConnection("/api/v1/events");
             SseClient reader = SseClient.open("/api/v1/events?after=0&tag=" + tag)) {
            int jobs = 6;
            List<String> ids = IntStream.range(0, jobs)
                    .mapToObj(i -> Api.submit(Api.with(Api.job("job-" + i, "hello.yml"), "tags", List.of(tag))))
                    .toList();
            ids.forEach(id -> assertThat(Api.awaitTerminal(id).getString("status")).isEqualTo("completed"));

            int[] ended = {0};
            List<Message> received = reader.until(m -> m.event().equals("job.completed") && ++ended[0] == jobs,
                    Duration.ofSeconds(60));
            List<Long> stored = storedIds(ids);
            assertThat(received).extracting(m -> EventLog.position(m.id()).id()).isEqualTo(stored);

            // the stalled subscriber holds what its buffer kept, then learns it was cut off
            stalled.request(Long.MAX_VALUE);
            stalled.awaitFailure(Duration.ofSeconds(60)).assertFailedWith(BackPressureFailure.class);
            List<FeedEvent> kept = stalled.getItems();
            assertThat(kept).hasSize(8);
            assertThat(kept).extracting(FeedEvent::id).isEqualTo(stored.subList(0, 8));

            // and resumes from the last event it received, missing nothing, repeating nothing
            AssertSubscriber<FeedEvent> resumed = feed.subscribe(mine, Optional.of(kept.get(7).position()))
                    .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
            await().atMost(Duration.ofSeconds(60)).until(() -> resumed.getItems().size() == stored.size() - 8);
            resumed.cancel();
            List<Long> all = new ArrayList<>(kept.stream().map(FeedEvent::id).toList());
            all.addAll(resumed.getItems().stream().map(FeedEvent::id).toList());
            assertThat(all).isEqualTo(stored);
        }
    }

    @Test
    void anSseClientThatStopsReadingIsCutOffInsteadOfQueueingWithoutBound() throws Exception {
        // every subscription of another test has gone (their connections close asynchronously)
        await().atMost(Duration.ofSeconds(60)).until(() -> feed.subscriberCount() == 0);
        double cutOffBefore = metrics.counter("charon.event.subscribers.cut.off").count();
        try (Socket stalled = stalledSseConnection("/api/v1/events")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> feed.subscriberCount() == 1);
            // more than the socket buffers hold (the kernel's send buffer grows to 4 MB): 2 events per
            // job (created, scheduled), each carrying the job's 50 tags of 100 characters (~5 KB), and
            // nothing runs; at most 2,000 jobs, 20 MB of events
            String tomorrow = Instant.now().plus(Duration.ofDays(1)).toString();
            List<String> tags = IntStream.range(0, 50).mapToObj(i -> String.format("%03d", i) + "x".repeat(97)).toList();
            // from several clients at once (the service stores concurrent submissions in one
            // transaction), in rounds, until the feed has cut the subscriber off: how many that takes
            // depends on how far the kernel grows the socket's buffers
            ExecutorService clients = Executors.newFixedThreadPool(8);
            try {
                for (int round = 0; round < 40 && feed.subscriberCount() > 0; round++) {
                    List<Future<String>> submitted = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        Map<String, Object> job = Api.with(Api.with(Api.job("fill-" + round + "-" + i, "hello.yml"),
                                "scheduledAt", tomorrow), "tags", tags);
                        submitted.add(clients.submit(() -> Api.submit(job)));
                    }
                    for (Future<String> submission : submitted) {
                        submission.get();
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            // the events it could not take stay in the feed's buffer of 8, which fills: cut off
            await().atMost(Duration.ofSeconds(30)).until(() -> feed.subscriberCount() == 0);
            assertThat(metrics.counter("charon.event.subscribers.cut.off").count()).isEqualTo(cutOffBefore + 1);
        }
    }

    /** An SSE request on a connection whose client never reads a byte of the answer. */
    private static Socket stalledSseConnection(String path) throws Exception {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(1024);
        socket.connect(new java.net.InetSocketAddress("localhost", RestAssured.port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
                        + DefaultToken.HEADER + ": " + DefaultToken.bearer(DefaultToken.ADMIN) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private List<Long> storedIds(List<String> jobIds) {
        return EventLog.idsInLogOrder(history, jobIds);
    }
}
