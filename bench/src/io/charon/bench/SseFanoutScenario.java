package io.charon.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Scenario 8, sse-fanout: {@code --subscribers} clients follow {@code GET /api/v1/events} while
 * jobs arrive at {@code --sse-rate} per second for {@code --sse-seconds} (noop runner: each job
 * makes its created, queued, started and completed events without a process), after the same
 * load for {@code --sse-warmup-seconds} whose lag and reconnections are left out of the figures
 * (the JIT compiler warms up on it; its events are checked like the others). Every subscriber
 * must receive every event the store holds for the load's jobs exactly once, and all subscribers
 * in the same order: the event {@code id}s in the messages' JSON are compared with the ids the
 * store holds (read straight from its {@code job_events} table). Ids are not assumed consecutive
 * nor ascending in delivery order (on PostgreSQL transactions commit events concurrently), and
 * the SSE {@code id:} line is an opaque cursor, only handed back as {@code Last-Event-ID}. Lag =
 * the moment a subscriber parsed an event − the event's own timestamp (taken when it was
 * recorded, before its commit; both from this machine's clock).
 */
final class SseFanoutScenario extends Scenario {

    static final Figure LOST = Figure.atMost("events lost or repeated, all subscribers", "", 0, 0);
    static final Figure ORDER = Figure.atMost("subscribers in another order than the first", "", 0, 0);
    static final Figure LAG_P50 = Figure.info("lag p50", "ms", 1);
    static final Figure LAG_P99 = Figure.atMost("lag p99", "ms", 1, 100);
    static final Figure LAG_MAX = Figure.info("lag max", "ms", 1);
    static final Figure EVENTS = Figure.info("events per subscriber", "", 0);
    static final Figure DELIVERED = Figure.info("messages delivered while measured, all subscribers", "msg/s", 0);
    static final Figure RATE = Figure.info("achieved job rate", "jobs/s", 0);
    /** How long delivery may stand still, with every job final, before the events not received count as lost. */
    static final Duration DELIVERY_STALL = Duration.ofSeconds(10);
    static final long POLL_MILLIS = 100;
    static final Figure RECONNECTS = Figure.info("reconnections after a cut-off, all subscribers", "", 0);

    @Override
    String name() {
        return "sse-fanout";
    }

    @Override
    String summary() {
        return "job events of a steady load fanned out to many SSE subscribers: none lost, lag";
    }

    @Override
    Map<String, String> settings(Options options) {
        return options.texts("subscribers", "sse-rate", "sse-seconds", "sse-warmup-seconds", "workers");
    }

    @Override
    RunFigures runOnce(RunContext run) {
        Options options = run.options();
        int workers = options.integer("workers");
        ServiceUnderTest service = run.start(run.service("service").workers(workers, workers)
                .set("charon.jobs.runner", "noop"));
        ServiceClient client = service.client();

        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < options.integer("subscribers"); i++) {
            subscribers.add(new Subscriber(client));
        }
        // one job seen by all: every subscriber is connected and registered before the load; its
        // events are left out of the comparison (a stream that starts live may have missed some)
        String probe = (String) client.submit("sse-probe", null).get("id");
        awaitFirstMessage(subscribers, Duration.ofSeconds(30), service);

        double rate = options.decimal("sse-rate");
        double warmupSeconds = options.decimal("sse-warmup-seconds");
        long warmed = 1 + (warmupSeconds > 0 ? load(client, rate, warmupSeconds, "sse-warmup-").ok() : 0);
        client.awaitIdle(Duration.ofMinutes(2), POLL_MILLIS);
        awaitDelivered(subscribers, StoredEvents.read(service.store(), probe).total(), service);
        subscribers.forEach(Subscriber::startMeasuring);
        LoadGenerator.Outcome load = load(client, rate, options.decimal("sse-seconds"), "sse-");

        // what the store holds once every job is final: every event of the load's jobs, warm-up included
        client.awaitIdle(Duration.ofMinutes(2), POLL_MILLIS);
        StoredEvents stored = StoredEvents.read(service.store(), probe);
        awaitDelivered(subscribers, stored.total(), service);
        subscribers.forEach(Subscriber::close);

        long lost = 0;
        long otherOrder = 0;
        long[] firstOrder = stored.window(subscribers.get(0).ids());
        Samples lag = new Samples();
        for (int i = 0; i < subscribers.size(); i++) {
            Subscriber subscriber = subscribers.get(i);
            long[] received = stored.window(subscriber.ids());
            long discrepancies = stored.discrepancies(received);
            if (discrepancies > 0) {
                Bench.note("subscriber " + (i + 1) + ": " + stored.describe(received));
            }
            lost += discrepancies;
            if (!Arrays.equals(received, firstOrder)) {
                otherOrder++;
            }
            lag.addAll(subscriber.lag);
        }
        double seconds = load.elapsedNanos() / 1e9;
        return new RunFigures()
                .put(LOST, lost)
                .put(ORDER, otherOrder)
                .put(LAG_P50, lag.percentileMillis(50))
                .put(LAG_P99, lag.percentileMillis(99))
                .put(LAG_MAX, lag.percentileMillis(100))
                .put(EVENTS, stored.ids().length)
                .put(DELIVERED, subscribers.stream().mapToLong(subscriber -> subscriber.measuredReceived).sum() / seconds)
                .put(RATE, load.ok() / seconds)
                .put(RECONNECTS, subscribers.stream().mapToLong(subscriber -> subscriber.reconnects.get()).sum())
                .note(subscribers.size() + " subscribers, " + load.ok() + " measured jobs after " + warmed
                        + " warm-up jobs; events = created, queued, started, completed per job; lost or repeated ="
                        + " per subscriber, stored events not received + received more than once + received but not stored");
    }

    /** {@code seconds} of jobs at {@code rate} per second, open loop; fails the run if a submission fails. */
    private static LoadGenerator.Outcome load(ServiceClient client, double rate, double seconds, String prefix) {
        long count = Math.round(rate * seconds);
        LoadGenerator.Outcome load = LoadGenerator.openLoop(client.http(), rate, count,
                Duration.ofSeconds((long) Math.ceil(seconds * 3)), 256, 201,
                index -> client.submitRequest(prefix + index, null), null);
        if (load.errors() > 0) {
            throw new ScenarioFailure(load.errors() + " submissions failed, first: " + load.firstError());
        }
        return load;
    }

    /** Until every subscriber has received a message: its stream is open and registered. */
    private static void awaitFirstMessage(List<Subscriber> subscribers, Duration atMost, ServiceUnderTest service) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (subscribers.stream().anyMatch(s -> s.received == 0)) {
            if (System.nanoTime() > deadline) {
                throw new ScenarioFailure("subscribers received " + subscribers.stream().map(s -> s.received).toList()
                        + " messages " + atMost + " after a job was submitted");
            }
            service.assertAlive();
            subscribers.forEach(Subscriber::assertOpen);
            Pause.millis(20);
        }
    }

    /**
     * Until every subscriber has received at least {@code events} messages, or none received
     * anything for {@link #DELIVERY_STALL}: an event not delivered by then, with every job final,
     * is lost, and the comparison with the store counts it (a figure, not a broken run).
     */
    private static void awaitDelivered(List<Subscriber> subscribers, long events, ServiceUnderTest service) {
        long delivered = -1;
        long lastProgress = System.nanoTime();
        while (subscribers.stream().anyMatch(s -> s.received < events)) {
            long now = subscribers.stream().mapToLong(s -> s.received).sum();
            if (now != delivered) {
                delivered = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > DELIVERY_STALL.toNanos()) {
                Bench.note("subscribers received " + subscribers.stream().map(s -> s.received).toList() + " of " + events
                        + " stored events, nothing more for " + DELIVERY_STALL + " with every job final");
                return;
            }
            service.assertAlive();
            subscribers.forEach(Subscriber::assertOpen);
            Pause.millis(20);
        }
    }

    /**
     * One SSE client of the whole event stream, recording the event ids in the order received and
     * measuring lag as it reads. Like a browser's EventSource, it reconnects with
     * {@code Last-Event-ID} (the last {@code id:} line, as sent) when the service ends its stream
     * (the service cuts off a subscriber that falls too far behind).
     */
    private static final class Subscriber {

        private static final String ID_FIRST = "{\"id\":";

        private final ServiceClient client;
        private final AtomicLong reconnects = new AtomicLong();
        private final Samples lag = new Samples();
        /** The {@code id} of each event's JSON, in the order received; one reader thread at a time appends. */
        private long[] ids = new long[4096];
        private volatile long received;
        private volatile long measuredReceived;
        /** The last SSE {@code id:} line's value: an opaque cursor, only sent back. */
        private volatile String lastEventId;
        private volatile String failure;
        private volatile boolean closed;
        /** Lag and reconnections count only once the warm-up load has been seen through. */
        private volatile boolean measuring;
        private volatile CompletableFuture<HttpResponse<Stream<String>>> response;

        Subscriber(ServiceClient client) {
            this.client = client;
            connect();
        }

        private void connect() {
            HttpRequest.Builder request = HttpRequest.newBuilder(client.uri("/api/v1/events?after=0"))
                    .header("Accept", "text/event-stream")
                    .header(ServiceClient.AUTHORIZATION, ServiceClient.BEARER).GET();
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            response = client.http().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAccept(answer -> {
                Thread reader = new Thread(() -> read(answer.body()), "sse-subscriber");
                reader.setDaemon(true);
                reader.start();
            }).exceptionally(error -> {
                failure = failure == null && !closed ? error.toString() : failure;
                return null;
            });
        }

        private void read(Stream<String> lines) {
            String id = null;
            try (lines) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = value(line, 3);
                    } else if (line.startsWith("data:")) {
                        long now = WallClock.epochNanos();
                        accept(id, value(line, 5), now);
                    }
                }
            } catch (RuntimeException e) {
                if (!closed) {
                    failure = failure == null ? e.toString() : failure;
                }
                return;
            }
            if (!closed) {
                if (measuring) {
                    reconnects.incrementAndGet();
                }
                connect();
            }
        }

        /** A field's value: after the colon, without the one space that may follow it. */
        private static String value(String line, int colon) {
            return line.startsWith(" ", colon) ? line.substring(colon + 1) : line.substring(colon);
        }

        private void accept(String sseId, String data, long receivedNanos) {
            if (sseId != null) {
                lastEventId = sseId;
            }
            append(eventId(data));
            if (measuring) {
                measuredReceived++;
            }
            int at = data.indexOf("\"timestamp\":\"");
            if (at >= 0 && measuring) {
                Instant stamp = Instant.parse(data.substring(at + 13, data.indexOf('"', at + 13)));
                lag.add(Math.max(0, receivedNanos - WallClock.epochNanos(stamp)));
            }
        }

        /** The event's {@code id} in its JSON: read in place when it comes first, as the service writes it. */
        private static long eventId(String data) {
            if (data.startsWith(ID_FIRST)) {
                int end = ID_FIRST.length();
                while (end < data.length() && Character.isDigit(data.charAt(end))) {
                    end++;
                }
                if (end > ID_FIRST.length()) {
                    return Long.parseLong(data, ID_FIRST.length(), end, 10);
                }
            }
            Object id = Json.object(data).get("id");
            if (!(id instanceof Number number)) {
                throw new ScenarioFailure("an event without a numeric id in its JSON: " + Json.abbreviate(data));
            }
            return number.longValue();
        }

        private synchronized void append(long id) {
            if (received == ids.length) {
                ids = Arrays.copyOf(ids, ids.length * 2);
            }
            ids[(int) received] = id;
            received++;
        }

        /** The ids received so far, in order. */
        synchronized long[] ids() {
            return Arrays.copyOf(ids, (int) received);
        }

        void startMeasuring() {
            measuring = true;
        }

        void assertOpen() {
            if (failure != null) {
                throw new ScenarioFailure("an SSE subscriber failed: " + failure);
            }
        }

        void close() {
            closed = true;
            response.thenAccept(answer -> answer.body().close());
            response.cancel(true);
        }
    }
}
