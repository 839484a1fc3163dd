package io.charon.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * must receive every event, in order, exactly once: the ids of the store are consecutive, so a
 * subscriber's ids must run from the first to the last without a hole or a repeat. Lag = the
 * moment a subscriber parsed an event − the event's own timestamp (taken when it was recorded,
 * before its commit; both from this machine's clock).
 */
final class SseFanoutScenario extends Scenario {

    static final Figure LOST = Figure.atMost("events lost or repeated, all subscribers", "", 0, 0);
    static final Figure LAG_P50 = Figure.info("lag p50", "ms", 1);
    static final Figure LAG_P99 = Figure.atMost("lag p99", "ms", 1, 100);
    static final Figure LAG_MAX = Figure.info("lag max", "ms", 1);
    static final Figure EVENTS = Figure.info("events per subscriber", "", 0);
    static final Figure DELIVERED = Figure.info("messages delivered while measured, all subscribers", "msg/s", 0);
    static final Figure RATE = Figure.info("achieved job rate", "jobs/s", 0);
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
        // one job seen by all: every subscriber is connected and registered before the load
        ServiceClient.expect(client.send(client.submitRequest("sse-warmup", null)), 201);
        awaitCompleted(subscribers, 1, Duration.ofSeconds(30), service);

        double rate = options.decimal("sse-rate");
        double warmupSeconds = options.decimal("sse-warmup-seconds");
        long warmed = 1 + (warmupSeconds > 0 ? load(client, rate, warmupSeconds, "sse-warmup-").ok() : 0);
        awaitCompleted(subscribers, warmed, Duration.ofSeconds(120), service);
        subscribers.forEach(Subscriber::startMeasuring);
        LoadGenerator.Outcome load = load(client, rate, options.decimal("sse-seconds"), "sse-");
        awaitCompleted(subscribers, warmed + load.ok(), Duration.ofSeconds(120), service);
        subscribers.forEach(Subscriber::close);

        long expected = subscribers.get(0).lastId - subscribers.get(0).firstId + 1;
        long lost = 0;
        Samples lag = new Samples();
        for (Subscriber subscriber : subscribers) {
            lost += subscriber.holesOrRepeats + Math.abs(expected - subscriber.received);
            if (subscriber.lastId != subscribers.get(0).lastId || subscriber.firstId != subscribers.get(0).firstId) {
                lost += 1;
            }
            lag.addAll(subscriber.lag);
        }
        double seconds = load.elapsedNanos() / 1e9;
        return new RunFigures()
                .put(LOST, lost)
                .put(LAG_P50, lag.percentileMillis(50))
                .put(LAG_P99, lag.percentileMillis(99))
                .put(LAG_MAX, lag.percentileMillis(100))
                .put(EVENTS, expected)
                .put(DELIVERED, subscribers.stream().mapToLong(subscriber -> subscriber.measuredReceived).sum() / seconds)
                .put(RATE, load.ok() / seconds)
                .put(RECONNECTS, subscribers.stream().mapToLong(subscriber -> subscriber.reconnects.get()).sum())
                .note(subscribers.size() + " subscribers, " + load.ok() + " measured jobs after " + warmed
                        + " warm-up jobs; events = created, queued, started, completed per job");
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

    private static void awaitCompleted(List<Subscriber> subscribers, long jobs, Duration atMost, ServiceUnderTest service) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (subscribers.stream().anyMatch(s -> s.completed.get() < jobs)) {
            if (System.nanoTime() > deadline) {
                throw new ScenarioFailure("subscribers saw " + subscribers.stream().map(s -> s.completed.get()).toList()
                        + " job.completed events, expected " + jobs);
            }
            service.assertAlive();
            subscribers.forEach(Subscriber::assertOpen);
            Pause.millis(20);
        }
    }

    /**
     * One SSE client of the whole event stream, checking order and measuring lag as it reads. Like
     * a browser's EventSource, it reconnects with {@code Last-Event-ID} when the service ends its
     * stream (the service cuts off a subscriber that falls too far behind).
     */
    private static final class Subscriber {

        private final ServiceClient client;
        private final AtomicLong completed = new AtomicLong();
        private final AtomicLong reconnects = new AtomicLong();
        private final Samples lag = new Samples();
        private volatile long firstId = -1;
        private volatile long lastId = -1;
        private volatile long received;
        private volatile long measuredReceived;
        private volatile long holesOrRepeats;
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
            if (lastId >= 0) {
                request.header("Last-Event-ID", Long.toString(lastId));
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
            long id = -1;
            String event = null;
            try (lines) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("id:")) {
                        id = Long.parseLong(line.substring(3).trim());
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6).trim();
                    } else if (line.startsWith("data:")) {
                        long now = WallClock.epochNanos();
                        accept(id, event, line, now);
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

        private void accept(long id, String event, String data, long receivedNanos) {
            if (firstId < 0) {
                firstId = id;
            } else if (id != lastId + 1) {
                holesOrRepeats++;
            }
            lastId = id;
            received++;
            if (measuring) {
                measuredReceived++;
            }
            int at = data.indexOf("\"timestamp\":\"");
            if (at >= 0 && measuring) {
                Instant stamp = Instant.parse(data.substring(at + 13, data.indexOf('"', at + 13)));
                lag.add(Math.max(0, receivedNanos - WallClock.epochNanos(stamp)));
            }
            if ("job.completed".equals(event)) {
                completed.incrementAndGet();
            }
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
