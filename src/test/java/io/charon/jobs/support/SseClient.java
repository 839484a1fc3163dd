package io.charon.jobs.support;

import io.restassured.RestAssured;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client over a real HTTP connection: reads the stream on its own thread
 * and hands over each message as it arrives.
 */
public final class SseClient implements AutoCloseable {

    /** One SSE message. */
    public record Message(String id, String event, String data) {
    }

    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final CompletableFuture<HttpResponse<Stream<String>>> response;

    private SseClient(String pathAndQuery, String lastEventId) {
        this(RestAssured.port, pathAndQuery, lastEventId, DefaultToken.ADMIN, HttpClient.Version.HTTP_2);
    }

    private SseClient(int port, String pathAndQuery, String lastEventId, String token, HttpClient.Version version) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                .header("Accept", "text/event-stream");
        if (token != null) {
            request.header(DefaultToken.HEADER, DefaultToken.bearer(token));
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        response = HttpClient.newBuilder().version(version).build()
                .sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
        response.thenAccept(this::read).exceptionally(e -> {
            ended.complete(null);
            return null;
        });
    }

    public static SseClient open(String pathAndQuery) {
        return new SseClient(pathAndQuery, null);
    }

    public static SseClient resume(String pathAndQuery, String lastEventId) {
        return new SseClient(pathAndQuery, lastEventId);
    }

    /** A stream opened with {@code token} (null: none) instead of the default admin token. */
    public static SseClient openAs(String token, String pathAndQuery) {
        return new SseClient(RestAssured.port, pathAndQuery, null, token, HttpClient.Version.HTTP_2);
    }

    /** A stream over HTTP/1.1 (the client's default tries HTTP/2 first). */
    public static SseClient openOverHttp11(String pathAndQuery) {
        return new SseClient(RestAssured.port, pathAndQuery, null, DefaultToken.ADMIN, HttpClient.Version.HTTP_1_1);
    }

    /** A stream from a service on {@code port} (a {@link ServiceProcess}), with {@code token}. */
    public static SseClient openAt(int port, String token, String pathAndQuery) {
        return new SseClient(port, pathAndQuery, null, token, HttpClient.Version.HTTP_1_1);
    }

    /** A stream from a service on {@code port}, resumed after the message with id {@code lastEventId}. */
    public static SseClient resumeAt(int port, String token, String pathAndQuery, String lastEventId) {
        return new SseClient(port, pathAndQuery, lastEventId, token, HttpClient.Version.HTTP_1_1);
    }

    /** The HTTP status of the answer, once it has come. */
    public int status() {
        return response.join().statusCode();
    }

    private void read(HttpResponse<Stream<String>> answer) {
        Thread reader = new Thread(() -> {
            String id = null;
            String event = null;
            StringBuilder data = null;
            try (Stream<String> lines = answer.body()) {
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            received.add(new Message(id, event, data.toString()));
                        }
                        id = null;
                        event = null;
                        data = null;
                    } else if (line.startsWith("id:")) {
                        id = value(line);
                    } else if (line.startsWith("event:")) {
                        event = value(line);
                    } else if (line.startsWith("data:")) {
                        data = data == null ? new StringBuilder(value(line)) : data.append('\n').append(value(line));
                    }
                }
            } catch (RuntimeException closed) {
                // the connection was closed under the reader
            } finally {
                ended.complete(null);
            }
        }, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    private static String value(String line) {
        String value = line.substring(line.indexOf(':') + 1);
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** The next message, waiting at most {@code timeout}; fails if none comes. */
    public Message next(Duration timeout) {
        try {
            Message message = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no SSE message within " + timeout);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Messages up to and including the first that passes {@code last}. */
    public List<Message> until(Predicate<Message> last, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Message> messages = new ArrayList<>();
        while (true) {
            Message message = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            messages.add(message);
            if (last.test(message)) {
                return messages;
            }
        }
    }

    /** Waits for the server to end the stream; returns what came before the end. */
    public List<Message> remainingUntilEnd(Duration timeout) {
        try {
            ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the stream did not end within " + timeout, e);
        }
        List<Message> rest = new ArrayList<>();
        received.drainTo(rest);
        return rest;
    }

    public boolean hasEnded() {
        return ended.isDone();
    }

    @Override
    public void close() {
        response.thenAccept(answer -> answer.body().close());
        response.cancel(true);
    }
}
