package io.charon.jobs.events;

import io.charon.jobs.api.OpenStreams;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.EventLog;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.LogCapture;
import io.charon.jobs.support.SseClient;
import io.charon.jobs.support.SseClient.Message;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** Watching jobs live over Server-Sent Events, with a real HTTP client and real playbook runs. */
@QuarkusTest
class EventStreamTest {

    private static final Duration LONG = Duration.ofSeconds(90);
    private static final List<String> TERMINAL_TYPES = List.of("job.completed", "job.failed", "job.cancelled", "job.timeout");

    @Inject
    EventHistory history;

    @Inject
    EventFeed feed;
    @Inject
    OpenStreams streams;

    @Test
    void aRealRunIsSeenLiveInOrderWithItsLogLinesBeforeItEnds() {
        String tag = "sse-" + UUID.randomUUID();
        try (Gate gate = new Gate();
             // from the first event on: the stream is registered before anything of the job is stored
             SseClient events = SseClient.open("/api/v1/events?after=0&tag=" + tag)) {
            String id = Api.submit(Api.with(gate.job("watched"), "tags", List.of(tag)));

            try (SseClient log = SseClient.open("/api/v1/jobs/" + id + "/log/stream")) {
                List<Message> lines = log.until(m -> text(m).startsWith("TASK [Wait for the gate file]"), LONG);
                assertThat(Api.status(id)).isEqualTo("running");
                assertThat(lines).allSatisfy(line -> {
                    assertThat(line.event()).isEqualTo("log");
                    assertThat(line.id()).matches("\\d+:\\d+");
                });

                gate.open();
                List<Message> rest = log.remainingUntilEnd(LONG);
                assertThat(rest).extracting(EventStreamTest::text).anySatisfy(text -> assertThat(text).startsWith("PLAY RECAP"));
                assertThat(log.hasEnded()).isTrue();
            }

            List<Message> seen = events.until(m -> TERMINAL_TYPES.contains(m.event()), LONG);
            assertThat(seen).extracting(Message::event)
                    .startsWith("job.created", "job.queued", "job.started").endsWith("job.completed")
                    .contains("job.progress");
            List<JsonPath> bodies = seen.stream().map(m -> JsonPath.from(m.data())).toList();
            assertThat(bodies).allSatisfy(body -> {
                assertThat(body.getString("jobId")).isEqualTo(id);
                assertThat(body.getList("tags")).containsExactly(tag);
            });
            assertThat(bodies).extracting(body -> body.getInt("seq"))
                    .isEqualTo(IntStream.rangeClosed(1, seen.size()).boxed().toList());
            assertThat(seen).extracting(m -> EventLog.position(m.id())).isSorted().doesNotHaveDuplicates();
            assertThat(seen).extracting(m -> JsonPath.from(m.data()).getLong("id"))
                    .isEqualTo(seen.stream().map(m -> EventLog.position(m.id()).id()).toList());
            // the same events, in the same order, as the store keeps them
            assertThat(bodies).extracting(body -> body.getString("type"))
                    .isEqualTo(Api.events(id).stream().map(e -> e.get("type")).toList());
        }
    }

    @Test
    void aReconnectWithLastEventIdMissesNothingAndRepeatsNothing() {
        String tag = "resume-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        List<Message> received = new ArrayList<>();
        try (SseClient first = SseClient.open("/api/v1/events?after=0&tag=" + tag)) {
            ids.add(Api.submit(Api.with(Api.job("one", "hello.yml"), "tags", List.of(tag))));
            received.addAll(first.until(m -> m.event().equals("job.started"), LONG));
        }
        // while nobody listens, more happens: the first job finishes, two more run
        ids.add(Api.submit(Api.with(Api.job("two", "hello.yml"), "tags", List.of(tag))));
        ids.add(Api.submit(Api.with(Api.job("three", "fail.yml"), "tags", List.of(tag))));
        ids.forEach(Api::awaitTerminal);

        String lastSeen = received.get(received.size() - 1).id();
        try (SseClient again = SseClient.resume("/api/v1/events?tag=" + tag, lastSeen)) {
            int terminalSoFar = (int) received.stream().filter(m -> TERMINAL_TYPES.contains(m.event())).count();
            int[] terminal = {terminalSoFar};
            received.addAll(again.until(m -> TERMINAL_TYPES.contains(m.event()) && ++terminal[0] == ids.size(), LONG));
        }

        List<Long> stored = EventLog.idsInLogOrder(history, ids);
        assertThat(stored).hasSize(ids.stream().mapToInt(id -> Api.events(id).size()).sum());
        assertThat(received).extracting(m -> EventLog.position(m.id()).id()).isEqualTo(stored);
    }

    @Test
    void typeAndJobFiltersSelectEvents() {
        String id = Api.submit(Api.job("filtered", "hello.yml"));
        Api.submit(Api.job("other", "hello.yml"));
        try (SseClient events = SseClient.open("/api/v1/events?after=0&jobId=" + id + "&type=job.started&type=job.completed")) {
            List<Message> seen = events.until(m -> m.event().equals("job.completed"), LONG);

            assertThat(seen).extracting(Message::event).containsExactly("job.started", "job.completed");
            assertThat(seen).allSatisfy(m -> assertThat(JsonPath.from(m.data()).getString("jobId")).isEqualTo(id));
        }
    }

    @Test
    void badFiltersAndPositionsAreRefusedWithProblems() {
        given().get("/api/v1/events?type=job.exploded").then().statusCode(400)
                .contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("type"));
        given().header("Last-Event-ID", "yesterday").get("/api/v1/events").then().statusCode(400)
                .body("errors[0].field", equalTo("Last-Event-ID"));
        given().header("Last-Event-ID", "x:1").get("/api/v1/jobs/" + Api.submit(Api.job("l", "hello.yml")) + "/log/stream")
                .then().statusCode(400).body("errors[0].field", equalTo("Last-Event-ID"));
        given().get("/api/v1/jobs/no-such-job/log/stream").then().statusCode(404)
                .contentType(startsWith("application/problem+json"));
    }

    @Test
    void theLogStreamResumesAfterTheLastLineReceived() {
        String id = Api.submit(Api.job("resumable", "hello.yml"));
        Api.awaitTerminal(id);
        List<Message> all;
        try (SseClient log = SseClient.open("/api/v1/jobs/" + id + "/log/stream")) {
            all = log.remainingUntilEnd(LONG);
        }
        assertThat(all.size()).isGreaterThan(4);
        String whole = given().get("/api/v1/jobs/" + id + "/log").then().extract().asString();
        assertThat(String.join("\n", all.stream().map(EventStreamTest::text).toList()) + "\n").isEqualTo(whole);
        assertThat(all).allSatisfy(line -> assertThat(JsonPath.from(line.data()).getString("position")).isEqualTo(line.id()));

        try (SseClient rest = SseClient.resume("/api/v1/jobs/" + id + "/log/stream", all.get(2).id())) {
            assertThat(rest.remainingUntilEnd(LONG)).isEqualTo(all.subList(3, all.size()));
        }
    }


    @Test
    void aClientThatLeavesInTheMiddleOfAStreamLeavesNoErrorInTheLog() {
        String id = Api.submit(Api.job("chatty", "chatty.yml"));
        Api.awaitTerminal(id);
        Api.awaitTerminal(Api.submit(Api.job("eventful", "hello.yml")));
        try (LogCapture log = LogCapture.install().withDebug("io.charon.jobs.api.ClientGoneFilter")) {
            // both streams have far more to send than the client reads, but whether a write is under
            // way at the moment it leaves (rather than waiting for the client to read) is the
            // kernel's and netty's timing: the client leaves again until a write has failed
            for (int attempt = 0; attempt < 10 && log.records().stream().noneMatch(EventStreamTest::saysClientGone); attempt++) {
                try (SseClient lines = SseClient.openOverHttp11("/api/v1/jobs/" + id + "/log/stream");
                     SseClient events = SseClient.open("/api/v1/events?after=0")) {
                    lines.next(LONG);
                    events.next(LONG);
                }
                await().atMost(LONG).until(() -> feed.subscriberCount() == 0 && streams.count() == 0);
            }

            // what the service's log shows (INFO and above): no warning, no error, no stack trace
            List<LogRecord> shown = log.records().stream().filter(record -> record.getLevel().intValue() >= Level.INFO.intValue())
                    .toList();
            assertThat(shown).allSatisfy(record -> {
                assertThat(record.getLevel().intValue()).as(record.getLoggerName()).isLessThan(Level.WARNING.intValue());
                assertThat(record.getThrown()).as(record.getLoggerName()).isNull();
            });
            // the failed writes were noticed, and said in a debug line
            assertThat(log.records()).anyMatch(EventStreamTest::saysClientGone);
        }
    }

    private static boolean saysClientGone(LogRecord record) {
        return record.getMessage() != null && record.getMessage().startsWith("a client went away");
    }

    private static String text(Message logLine) {
        return JsonPath.from(logLine.data()).getString("text");
    }
}
