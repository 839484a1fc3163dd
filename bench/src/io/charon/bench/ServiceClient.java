package io.charon.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The service's REST API as the bench uses it. One {@link HttpClient} per service: HTTP/1.1 with
 * keep-alive (the JDK client pools idle connections), never the h2c upgrade that the client
 * would otherwise attempt on plain http, since operators' clients speak HTTP/1.1.
 */
final class ServiceClient {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /**
     * The bench measures the service as it is deployed, authentication on: every request carries
     * this admin token, which {@link ServiceUnderTest} configures by its SHA-256 only.
     */
    static final String TOKEN = "bench-admin-token-6b0e2f7d1c9a4853";
    static final String TOKEN_SHA256 = "900e29a9e1b2ed7920e0f88172cc5f4293d5665f47b7d1089ab18e618c0f38d3";
    static final String AUTHORIZATION = "Authorization";
    static final String BEARER = "Bearer " + TOKEN;

    private final HttpClient http;
    private final String base;

    ServiceClient(int port) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        this.base = "http://127.0.0.1:" + port;
    }

    HttpClient http() {
        return http;
    }

    /** A job submission body: hello.yml on localhost, as the README's walkthrough submits it. */
    static String jobBody(String name, String priority) {
        return "{\"name\":" + Json.quote(name) + ",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"]"
                + (priority == null ? "" : ",\"priority\":" + Json.quote(priority)) + "}";
    }

    HttpRequest submitRequest(String name, String priority) {
        return submitRequest(jobBody(name, priority));
    }

    /** A submission of {@code body}, a job's JSON. */
    HttpRequest submitRequest(String body) {
        return HttpRequest.newBuilder(uri("/api/v1/jobs")).timeout(REQUEST_TIMEOUT).header(AUTHORIZATION, BEARER)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The same submission for the closed-loop load's raw connections. */
    static RawHttpConnection.Request rawSubmitRequest(String name, String priority) {
        return RawHttpConnection.Request.postJson("/api/v1/jobs", jobBody(name, priority));
    }

    HttpRequest getRequest(String pathAndQuery) {
        return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(REQUEST_TIMEOUT).header(AUTHORIZATION, BEARER)
                .GET().build();
    }

    /** Status, body and how long the exchange took. */
    record Response(int status, String body, long nanos) {
        Map<String, Object> json() {
            return Json.object(body);
        }
    }

    Response send(HttpRequest request) {
        long began = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), System.nanoTime() - began);
        } catch (IOException e) {
            throw new ScenarioFailure(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ScenarioFailure("interrupted");
        }
    }

    Response get(String pathAndQuery) {
        return send(getRequest(pathAndQuery));
    }

    boolean isUp() {
        try {
            return http.send(getRequest("/api/v1/workers"), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Map<String, Object> submit(String name, String priority) {
        return submit(jobBody(name, priority));
    }

    /** Submits {@code body}, a job's JSON; the job as the 201 shows it. */
    Map<String, Object> submit(String body) {
        return expect(send(submitRequest(body)), 201).json();
    }

    Map<String, Object> job(String id) {
        return expect(get("/api/v1/jobs/" + id), 200).json();
    }

    /** Answers when the job is final or the timeout passed (the service caps it at charon.jobs.max-wait). */
    Map<String, Object> waitFor(String id, Duration timeout) {
        return expect(get("/api/v1/jobs/" + id + "/wait?timeout=" + timeout), 200).json();
    }

    record Workers(long workerCount, long maxConcurrentJobs, long activeJobs, long queueSize) {
        static Workers of(Map<String, Object> json) {
            return new Workers(number(json, "workerCount"), number(json, "maxConcurrentJobs"),
                    number(json, "activeJobs"), number(json, "queueSize"));
        }

        boolean idle() {
            return activeJobs == 0 && queueSize == 0;
        }
    }

    Workers workers() {
        return Workers.of(expect(get("/api/v1/workers"), 200).json());
    }

    Workers resize(int workerCount) {
        HttpRequest request = HttpRequest.newBuilder(uri("/api/v1/workers")).timeout(REQUEST_TIMEOUT)
                .header(AUTHORIZATION, BEARER).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"workerCount\":" + workerCount + "}")).build();
        return Workers.of(expect(send(request), 200).json());
    }

    /**
     * Polls the worker pool until nothing is queued or running, and the listing agrees that no job
     * is queued or running: the pool's count leaves out jobs already claimed (running in the store)
     * whose runs have not started yet, so a poll can find it at 0 with the last claimed batch
     * unfinished. Fails only when nothing moved for {@code stall}: a slow service is a figure to
     * report, a stuck one a broken scenario.
     */
    void awaitIdle(Duration stall, long pollMillis) {
        Workers last = workers();
        long lastChange = System.nanoTime();
        while (!last.idle() || anyUnfinished()) {
            Pause.millis(pollMillis);
            Workers now = workers();
            if (now.queueSize() != last.queueSize() || now.activeJobs() != last.activeJobs()) {
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                throw new ScenarioFailure("the service made no progress for " + stall + ": " + now);
            }
            last = now;
        }
    }

    /** Whether the listing shows a job queued or running. */
    @SuppressWarnings("unchecked")
    boolean anyUnfinished() {
        Map<String, Object> page = expect(get("/api/v1/jobs?status=queued&status=running&limit=1"), 200).json();
        return !((List<Map<String, Object>>) page.get("items")).isEmpty();
    }

    /** Every job the listing {@code query} (e.g. {@code status=completed}) returns, page by page. */
    @SuppressWarnings("unchecked")
    void forEachJob(String query, Consumer<Map<String, Object>> action) {
        String cursor = null;
        do {
            String url = "/api/v1/jobs?" + query + "&limit=500"
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            Map<String, Object> page = expect(get(url), 200).json();
            ((List<Map<String, Object>>) page.get("items")).forEach(action);
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
    }

    static Response expect(Response response, int status) {
        if (response.status() != status) {
            throw new ScenarioFailure("expected HTTP " + status + ", got " + response.status() + ": "
                    + Json.abbreviate(response.body()));
        }
        return response;
    }

    static long number(Map<String, Object> json, String field) {
        Object value = json.get(field);
        if (!(value instanceof Number n)) {
            throw new ScenarioFailure("field " + field + " missing or not a number in " + json);
        }
        return n.longValue();
    }

    URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }
}
