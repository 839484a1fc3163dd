package io.charon.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Drives the service over HTTP/1.1 keep-alive connections, two ways:
 * <ul>
 * <li>closed loop: {@code clients} threads each send a request, wait for its answer and send the
 * next one; this finds the throughput, as many connections as clients being kept busy;</li>
 * <li>open loop: requests leave at a fixed rate whatever the answers do (up to a cap on requests
 * in flight), so slow answers show up as latency instead of silently lowering the load.</li>
 * </ul>
 * The generator runs on the same machine as the service and shares its cores; that is part of
 * what the figures mean.
 */
final class LoadGenerator {

    /** Stop a closed loop after this many failed requests: the service is down, more says nothing. */
    private static final int ERROR_LIMIT = 100;

    private LoadGenerator() {
    }

    /** The request number {@code index} (0, 1, 2...) of an open-loop load. */
    interface Requests {
        HttpRequest request(long index);
    }

    /** One answered request; {@code status} is -1 when the exchange itself failed. */
    record Call(long index, int status, String body, long sentEpochNanos, long receivedEpochNanos, long latencyNanos) {
    }

    /** What a load did: answered requests (of the expected status), failures, time and latencies. */
    record Outcome(long ok, long errors, String firstError, long elapsedNanos, Samples latencies) {
        double perSecond() {
            return ok / (elapsedNanos / 1e9);
        }

        /** Fails the scenario if any request failed: figures over failed requests would flatter the service. */
        Outcome requireNoErrors(String what) {
            if (errors > 0) {
                throw new ScenarioFailure(what + ": " + errors + " of " + (ok + errors) + " requests failed, first: " + firstError);
            }
            return this;
        }
    }

    /**
     * {@code clients} threads, each with one request in flight on its own keep-alive connection
     * ({@link RawHttpConnection}), until {@code maxRequests} were sent or {@code maxDuration}
     * passed, whichever comes first.
     */
    static Outcome closedLoop(int port, int clients, long maxRequests, Duration maxDuration, int expectedStatus,
                              RawRequests requests, Consumer<Call> onCall) {
        AtomicLong next = new AtomicLong();
        Tally tally = new Tally();
        long began = System.nanoTime();
        long deadline = began + maxDuration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                RawHttpConnection connection = null;
                long index;
                while ((index = next.getAndIncrement()) < maxRequests && System.nanoTime() < deadline
                        && tally.errors.get() < ERROR_LIMIT) {
                    RawHttpConnection.Request request = requests.request(index);
                    long sent = WallClock.epochNanos();
                    long t0 = System.nanoTime();
                    Call call;
                    try {
                        if (connection == null) {
                            connection = new RawHttpConnection(port);
                        }
                        RawHttpConnection.Answer answer = connection.exchange(request);
                        long latency = System.nanoTime() - t0;
                        call = new Call(index, answer.status(), answer.body(), sent, sent + latency, latency);
                    } catch (IOException e) {
                        long latency = System.nanoTime() - t0;
                        call = new Call(index, -1, e.toString(), sent, sent + latency, latency);
                        closeQuietly(connection);
                        connection = null; // a broken connection is replaced for the next request
                    }
                    tally.record(call, expectedStatus, onCall);
                }
                closeQuietly(connection);
            }, "bench-client-" + c);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScenarioFailure("interrupted");
            }
        }
        return tally.outcome(System.nanoTime() - began);
    }

    /** The request number {@code index} (0, 1, 2...) of a closed-loop load. */
    interface RawRequests {
        RawHttpConnection.Request request(long index);
    }

    private static void closeQuietly(RawHttpConnection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                // nothing to do about a connection that will not close
            }
        }
    }

    /**
     * {@code count} requests at {@code perSecond}, each sent at its scheduled moment; when
     * {@code maxInFlight} are unanswered the next waits, and the load falls behind schedule (the
     * returned rate then says so). No request is sent after {@code maxDuration}, so a service that
     * cannot keep up ends the load on time with fewer requests. Returns once every request is answered.
     */
    static Outcome openLoop(HttpClient http, double perSecond, long count, Duration maxDuration, int maxInFlight,
                            int expectedStatus, Requests requests, Consumer<Call> onCall) {
        Semaphore inFlight = new Semaphore(maxInFlight);
        Tally tally = new Tally();
        long interval = (long) (1e9 / perSecond);
        long began = System.nanoTime();
        long deadline = began + maxDuration.toNanos();
        for (long index = 0; index < count && System.nanoTime() < deadline; index++) {
            Pause.until(began + index * interval);
            inFlight.acquireUninterruptibly();
            HttpRequest request = requests.request(index);
            long sent = WallClock.epochNanos();
            long t0 = System.nanoTime();
            long number = index;
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                long latency = System.nanoTime() - t0;
                Call call = error == null
                        ? new Call(number, response.statusCode(), response.body(), sent, sent + latency, latency)
                        : new Call(number, -1, error.toString(), sent, sent + latency, latency);
                try {
                    tally.record(call, expectedStatus, onCall);
                } finally {
                    inFlight.release();
                }
            });
        }
        inFlight.acquireUninterruptibly(maxInFlight);
        return tally.outcome(System.nanoTime() - began);
    }

    /** Counts and latencies shared by the client threads. */
    private static final class Tally {
        final AtomicLong ok = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicReference<String> firstError = new AtomicReference<>();
        final Samples latencies = new Samples();

        void record(Call call, int expectedStatus, Consumer<Call> onCall) {
            if (call.status() == expectedStatus) {
                try {
                    if (onCall != null) {
                        onCall.accept(call);
                    }
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, "handling the answer failed: " + e);
                    return;
                }
                ok.incrementAndGet();
                latencies.add(call.latencyNanos());
            } else {
                errors.incrementAndGet();
                firstError.compareAndSet(null, "HTTP " + call.status() + " " + Json.abbreviate(call.body()));
            }
        }

        Outcome outcome(long elapsedNanos) {
            return new Outcome(ok.get(), errors.get(), firstError.get(), elapsedNanos, latencies);
        }
    }
}
