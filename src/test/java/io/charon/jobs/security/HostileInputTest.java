package io.charon.jobs.security;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.DefaultToken;
import io.charon.jobs.support.StoreRows;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several hundred generated malformed and hostile requests across every endpoint: wrong types,
 * huge and deep bodies, invalid UTF-8, traversal and injection strings, bad tokens. None may
 * answer 5xx, every refusal is a problem+json that names its own status, and nothing is stored:
 * the jobs, events, tokens and idempotency keys are counted before and after.
 */
@QuarkusTest
class HostileInputTest {

    static final int AT_LEAST = 500;
    static final String UNKNOWN_JOB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    /** Strings that have broken services: traversal, injection of SQL, shell, templates, YAML, headers, logs. */
    static final List<String> HOSTILE = List.of(
            "../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/etc/shadow", "....//....//etc/passwd",
            "' OR '1'='1", "1; DROP TABLE jobs; --", "\" OR \"\"=\"", "%' UNION SELECT token_hash FROM api_tokens --",
            "$(touch /tmp/pwned)", "`id`", "; rm -rf / #", "| cat /etc/passwd", "&& curl http://127.0.0.1:1/",
            "{{ lookup('pipe', 'id') }}", "{% for x in range(10**9) %}{% endfor %}", "${jndi:ldap://127.0.0.1:1/a}",
            "!!python/object/apply:os.system ['id']", "*anchor", "&anchor x", "--- !unsafe", "key: value\n- item",
            "line1\r\nInjected-Header: yes", "\u0000", "\u202e\u0041\u0042", "\ud83d\ude00".repeat(50),
            "<script>alert(1)</script>", "-oProxyCommand=id", "all:!localhost", "x".repeat(70_000),
            "9".repeat(400), "-1", "NaN", "null", "true", "[]", "{}", "");

    private final List<String> failures = new ArrayList<>();
    private int sent;
    private int refused;

    @Test
    void hostileRequestsAreRefusedCleanlyAndStoreNothing() {
        long[] before = storedRows();
        Random random = new Random(20_261_129L);

        badTokensOnEveryEndpoint();
        malformedBodies(random);
        hostilePathsAndQueries();
        hostileHeaders();
        generatedSubmissions(random);

        assertThat(failures).as("requests answered wrongly").isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(AT_LEAST);
        assertThat(refused).isGreaterThanOrEqualTo(AT_LEAST - 50);
        assertThat(storedRows()).as("jobs, events, tokens, idempotency keys").containsExactly(before);
    }

    /**
     * Over two thousand requests generated from a fixed seed ({@link HostileRequests}): every operation of the
     * API called as the admin, as a viewer and without a token, each mutated in its method, path, query,
     * headers or body. None may answer 5xx; every refusal is a problem naming its status; a request that could
     * change something is refused; what an operation answers is what the API description says it answers;
     * nothing is stored and the worker pool keeps its size.
     */
    @Test
    void generatedHostileRequestsAreRefusedCleanlyAndStoreNothing() {
        String viewer = Api.token("hostile-viewer", "viewer");
        String done = Api.submit(Api.job("hostile-done", "hello.yml"));
        Api.awaitTerminal(done);
        Map<String, Map<String, Set<String>>> documented = documentedResponses();
        long[] before = storedRows();
        int workers = Api.workers().getInt("workerCount");
        long audited = StoreRows.count("audit_log WHERE outcome = 'success'")[0];

        List<HostileRequests.Request> requests = new HostileRequests(20_261_205L, DefaultToken.ADMIN, viewer, done)
                .generate(GENERATED_ROUNDS);
        Map<Integer, Integer> statuses = new TreeMap<>();
        try (RawHttp.Connection connection = new RawHttp.Connection()) {
            for (HostileRequests.Request request : requests) {
                RawHttp.Answer answer;
                try {
                    answer = connection.exchange(request.bytes(), request.method().equals("HEAD"));
                } catch (RuntimeException e) {
                    if (!request.wire()) {
                        failures.add(request.label() + ": no answer: " + e);
                    }
                    continue;
                }
                sent++;
                statuses.merge(answer.status(), 1, Integer::sum);
                checkGenerated(request, answer, documented);
            }
            System.out.printf("%d generated requests on %d connections, answered %s%n", sent, connection.opened(), statuses);
        }

        assertThat(failures).as("requests answered wrongly (%d)", failures.size()).isEmpty();
        assertThat(sent).isGreaterThanOrEqualTo(2000);
        assertThat(storedRows()).as("jobs, events, tokens, idempotency keys").containsExactly(before);
        assertThat(Api.workers().getInt("workerCount")).isEqualTo(workers);
        assertThat(StoreRows.count("audit_log WHERE outcome = 'success'")[0]).as("successful actions audited")
                .isEqualTo(audited);
    }

    static final int GENERATED_ROUNDS = 48;

    private void checkGenerated(HostileRequests.Request request, RawHttp.Answer answer,
                                Map<String, Map<String, Set<String>>> documented) {
        String what = request.label();
        int status = answer.status();
        if (status >= 500) {
            failures.add(what + ": " + status + " " + abbreviate(answer.body()));
            return;
        }
        if (request.mustRefuse() && status < 400) {
            failures.add(what + ": answered " + status + ", a request that could change something must be refused");
        }
        if (request.wire()) {
            return; // the HTTP server's own refusal: a bare status (docs/security.md, known limits)
        }
        if (status >= 400) {
            refused++;
            String type = answer.contentType();
            if (!type.startsWith("application/problem+json")) {
                failures.add(what + ": " + status + " with content type '" + type + "': " + abbreviate(answer.body()));
            } else if (!request.method().equals("HEAD")) {
                try {
                    if (JsonPath.from(answer.body()).getInt("status") != status) {
                        failures.add(what + ": the problem names another status: " + abbreviate(answer.body()));
                    }
                } catch (RuntimeException e) {
                    failures.add(what + ": the problem is not JSON: " + abbreviate(answer.body()));
                }
                if (answer.body().contains("Exception") || answer.body().contains("\tat ") || answer.body().contains("io.charon")) {
                    failures.add(what + ": the problem shows internals: " + abbreviate(answer.body()));
                }
            }
        }
        if (request.operation() != null) {
            Map<String, Set<String>> responses = documented.get(request.operation().id);
            Set<String> types = responses == null ? null : responses.get(Integer.toString(status));
            String type = answer.contentType().split(";")[0].trim();
            if (types == null) {
                failures.add(what + ": " + status + " is not among the documented responses of " + request.operation().id);
            } else if (!type.isEmpty() && !types.contains(type)) {
                failures.add(what + ": " + status + " as " + type + ", documented as " + types);
            }
        }
    }

    /** Each operation's documented responses: status to media types, references resolved. */
    private static Map<String, Map<String, Set<String>>> documentedResponses() {
        JsonPath openapi = given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().jsonPath();
        Map<String, Map<String, Object>> components = openapi.getMap("components.responses");
        Map<String, Map<String, Set<String>>> documented = new HashMap<>();
        Map<String, Map<String, Map<String, Object>>> paths = openapi.getMap("paths");
        paths.values().forEach(item -> item.values().forEach(operation -> {
            Map<String, Set<String>> responses = new HashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> declared = (Map<String, Map<String, Object>>) operation.get("responses");
            declared.forEach((status, response) -> {
                Map<String, Object> resolved = response.containsKey("$ref")
                        ? components.get(((String) response.get("$ref")).replace("#/components/responses/", "")) : response;
                @SuppressWarnings("unchecked")
                Map<String, Object> content = (Map<String, Object>) resolved.getOrDefault("content", Map.of());
                responses.put(status, content.keySet());
            });
            documented.put((String) operation.get("operationId"), responses);
        }));
        return documented;
    }

    // ---- the generators ---------------------------------------------------------------------------

    private void badTokensOnEveryEndpoint() {
        List<String> headers = new ArrayList<>(List.of("Bearer", "Bearer ", "Bearer  ", "bearer x", "Basic YWRtaW46YWRtaW4=",
                "Bearer " + DefaultToken.ADMIN.toUpperCase(), "Bearer " + DefaultToken.ADMIN + "\u0001",
                "Bearer " + DefaultToken.ADMIN + DefaultToken.ADMIN, "Bearer chr_" + "A".repeat(43),
                "Bearer " + "x".repeat(9000), "Bearer ' OR '1'='1", "Bearer \u00e9t\u00e9", "Digest username=admin",
                "Bearer null", "Bearer undefined", "Negotiate YII="));
        for (String header : headers) {
            for (Endpoint endpoint : Endpoint.values()) {
                check("token " + abbreviate(header) + " on " + endpoint,
                        () -> endpoint.send(given().header("Authorization", header), "{}".getBytes()), 401);
            }
        }
    }

    private void malformedBodies(Random random) {
        List<byte[]> bodies = new ArrayList<>();
        for (String text : List.of("", "null", "[]", "\"text\"", "42", "{", "}", "{\"name\":", "{} {}", "{\"a\":1}{",
                "{\"name\":\"x\",\"name\":\"y\"}", "{'name':'single quotes'}", "{name:\"unquoted\"}", "{\"name\":\"x\"}garbage",
                "{\"workerCount\":1e309}", "{\"workerCount\":99999999999999999999999}", "{\"workerCount\":\"8\"}",
                "{\"workerCount\":-1}", "{\"workerCount\":null}", "{\"workerCount\":[8]}", "{\"workerCount\":8,\"x\":1}",
                "{\"userId\":\"../admin\",\"role\":\"admin\"}", "{\"userId\":\"x\",\"role\":\"root\"}",
                "{\"userId\":{\"$ne\":null},\"role\":\"viewer\"}", "{\"userId\":\"x\",\"role\":\"viewer\",\"expiresAt\":\"never\"}",
                "\u0000\u0000", "<?xml version=\"1.0\"?><job/>", "name=x&playbook=y")) {
            bodies.add(text.getBytes(StandardCharsets.UTF_8));
        }
        bodies.add("[".repeat(100_000).getBytes());
        bodies.add(("{\"a\":".repeat(20_000) + "1" + "}".repeat(20_000)).getBytes());
        bodies.add(new byte[]{'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'});
        bodies.add(new byte[]{'{', '"', (byte) 0xFF, (byte) 0xFE, '"', ':', '1', '}'});
        bodies.add(new byte[]{(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, (byte) 0xED, (byte) 0xA0, (byte) 0x80});
        byte[] noise = new byte[4096];
        random.nextBytes(noise);
        bodies.add(noise);
        bodies.add(("{\"name\":\"" + "x".repeat(1_100_000) + "\"}").getBytes());
        for (byte[] body : bodies) {
            String what = abbreviate(new String(body, StandardCharsets.UTF_8));
            check("POST /jobs " + what, () -> Endpoint.SUBMIT.send(given(), body), 400, 413);
            check("PUT /workers " + what, () -> Endpoint.RESIZE.send(given(), body), 400, 413);
            check("POST /tokens " + what, () -> Endpoint.CREATE_TOKEN.send(given(), body), 400, 413);
        }
    }

    private void hostilePathsAndQueries() {
        // (a plain ".." is normalised away by the HTTP layer: /jobs/../events is the event stream)
        List<String> ids = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2f", "'%20OR%20'1'%3D'1",
                "1%3B%20DROP%20TABLE%20jobs", "%00", "%E2%80%AE", "x".repeat(2000), UNKNOWN_JOB,
                UNKNOWN_JOB.toUpperCase(), "%7B%7B7*7%7D%7D", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "-1", "null",
                "%C0%AE%C0%AE", "%FF%FE");
        for (String id : ids) {
            for (String suffix : List.of("", "/wait?timeout=PT0S", "/events", "/log", "/log/stream")) {
                check("GET /jobs/" + abbreviate(id) + suffix, () -> given().urlEncodingEnabled(false)
                        .get("/api/v1/jobs/" + id + suffix), 400, 404);
            }
            for (String action : List.of("/cancel", "/relaunch")) {
                check("POST /jobs/" + abbreviate(id) + action, () -> given().urlEncodingEnabled(false)
                        .post("/api/v1/jobs/" + id + action), 400, 404);
            }
            check("DELETE /tokens/" + abbreviate(id), () -> given().urlEncodingEnabled(false)
                    .delete("/api/v1/tokens/" + id), 400, 404);
        }
        // none of them valid for any parameter below (an accepted event stream would never end)
        List<String> badValues = List.of("%27%20OR%201%3D1%20--", "-1", "-0.5", "99999999999999999999", "abc", "1e3",
                "%00", "%E2%80%AE", "..%2F..", "%7B%7B7*7%7D%7D", "NaN", "%FF");
        for (String value : badValues) {
            for (String query : List.of("status=", "type=", "priority=", "limit=", "cursor=", "createdAfter=",
                    "createdBefore=")) {
                check("GET /jobs?" + query + value, () -> given().urlEncodingEnabled(false)
                        .get("/api/v1/jobs?" + query + value), 400);
            }
            check("GET /jobs/x/wait?timeout=" + value, () -> given().urlEncodingEnabled(false)
                    .get("/api/v1/jobs/" + UNKNOWN_JOB + "/wait?timeout=" + value), 400, 404);
            for (String query : List.of("type=", "after=")) {
                check("GET /events?" + query + value, () -> given().urlEncodingEnabled(false)
                        .get("/api/v1/events?" + query + value), 400);
            }
            for (String query : List.of("limit=", "cursor=")) {
                check("GET /audit?" + query + value, () -> given().urlEncodingEnabled(false)
                        .get("/api/v1/audit?" + query + value), 400);
            }
        }
        // read filters that are merely odd values: answered, and changing nothing
        for (String value : badValues) {
            check("GET /jobs?tag=" + value, () -> given().urlEncodingEnabled(false).get("/api/v1/jobs?tag=" + value));
            check("GET /audit?principal=" + value, () -> given().urlEncodingEnabled(false)
                    .get("/api/v1/audit?principal=" + value));
        }
        for (String path : List.of("/api/v1/nothing", "/api/v2/jobs", "/api/v1/jobs/x/y/z", "/api/v1/../../etc/passwd",
                "/api/v1/%2e%2e/%2e%2e/etc/passwd", "/api/v1/tokens/x/y", "/api/v1/audit/1")) {
            check("GET " + path, () -> given().urlEncodingEnabled(false).get(path), 400, 404, 405);
        }
        // what no HTTP client library sends, written on a socket as it is: no Host header
        for (String target : List.of("/api/v1/jobs", "/api/v1/events", "/api/v1/workers", "/q/health/live")) {
            checkAnswer("raw GET " + target + " without Host", () -> RawHttp.send("GET", target, DefaultToken.ADMIN, false), 400);
        }
        // malformed percent-escapes: refused by the HTTP server itself, before any handler, with a bare 400
        // (docs/security.md, known limits); checked here for the status only
        for (String target : List.of("/api/v1/jobs/%zz", "/api/v1/jobs/%", "/api/v1/jobs/%zz/log/stream",
                "/api/v1/jobs?status=%zz", "/api/v1/jobs?tag=%", "/api/v1/events?type=%zz", "/api/v1/audit?cursor=%zz",
                "/api/v1/tokens/%zz", "/api/v1/jobs/" + UNKNOWN_JOB + "/wait?timeout=%zz")) {
            RawHttp.Answer answer = RawHttp.send("GET", target, DefaultToken.ADMIN);
            sent++;
            if (answer.status() != 400) {
                failures.add("raw GET " + target + ": " + answer.status() + ", expected the server's 400");
            }
        }
        check("DELETE /jobs", () -> given().delete("/api/v1/jobs"), 405);
        check("PATCH /workers", () -> given().body("{}").patch("/api/v1/workers"), 405);
        check("PUT /jobs/x", () -> given().body("{}").put("/api/v1/jobs/" + UNKNOWN_JOB), 405);
    }

    private void hostileHeaders() {
        for (String key : List.of("x".repeat(256), "with space", "tab\there", "\u00e9t\u00e9", "'; DROP TABLE idempotency_keys; --")) {
            check("Idempotency-Key " + abbreviate(key), () -> given().header("Idempotency-Key", key)
                    .contentType("application/json").body(Api.job("keyed", "hello.yml")).post("/api/v1/jobs"), 400);
        }
        for (String id : List.of("yesterday", "-5", "1:2:3", "x:1", "99999999999999999999999", "' OR 1=1")) {
            check("Last-Event-ID " + id + " on /events", () -> given().header("Last-Event-ID", id).get("/api/v1/events"), 400);
        }
        for (String accept : List.of("application/xml", "image/png", "*/*;q=abc")) {
            check("Accept " + accept, () -> given().header("Accept", accept).get("/api/v1/jobs/" + UNKNOWN_JOB), 404, 406);
        }
    }

    /** Submissions built from random fields, each certain to be invalid in at least one of them. */
    private void generatedSubmissions(Random random) {
        List<String> fields = List.of("name", "type", "priority", "playbook", "inventory", "variables",
                "secretVariables", "tags", "description", "scheduledAt", "timeout", "dependsOn", "maxRetries",
                "retryDelay", "userId", "status", "id");
        for (int i = 0; i < 160; i++) {
            StringBuilder json = new StringBuilder("{\"playbook\":").append(quote(pick(random, List.of(
                    "../hello.yml", "/etc/hosts.yml", "hello.yml/..", "..\\\\hello.yml", "hello.yml\\u0000", "hello.txt",
                    "%2e%2e/hello.yml", "sub/../../hello.yml"))));
            int extra = 1 + random.nextInt(6);
            for (int f = 0; f < extra; f++) {
                json.append(',').append(quote(pick(random, fields))).append(':').append(value(random));
            }
            String body = json.append('}').toString();
            check("generated submission " + i, () -> Endpoint.SUBMIT.send(given(), body.getBytes(StandardCharsets.UTF_8)),
                    400, 413);
        }
    }

    private String value(Random random) {
        String hostile = pick(random, HOSTILE);
        return switch (random.nextInt(9)) {
            case 0 -> quote(hostile);
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> random.nextBoolean() ? "true" : "null";
            case 3 -> "[" + quote(hostile) + "," + random.nextInt() + "]";
            case 4 -> "{" + quote(hostile.isEmpty() ? "k" : hostile) + ":" + quote(hostile) + "}";
            case 5 -> "{\"ansible_connection\":\"local\",\"ansible_ssh_common_args\":" + quote(hostile) + "}";
            case 6 -> "[" + quote("-oProxyCommand=" + hostile) + "]";
            case 7 -> "[".repeat(30) + "]".repeat(30);
            default -> "1.5e" + random.nextInt(400);
        };
    }

    // ---- checking -------------------------------------------------------------------------------

    private void check(String what, Supplier<Response> request, int... expected) {
        checkAnswer(what, () -> {
            Response response = request.get();
            return new RawHttp.Answer(response.statusCode(), String.valueOf(response.contentType()), response.asString());
        }, expected);
    }

    /** Sends, and checks the answer: never 5xx; a refusal is problem+json naming its status, one of {@code expected}. */
    private void checkAnswer(String what, Supplier<RawHttp.Answer> request, int... expected) {
        RawHttp.Answer response;
        try {
            response = request.get();
        } catch (Exception e) { // also what Groovy throws unchecked: a timeout
            failures.add(what + ": the request failed: " + e);
            return;
        }
        sent++;
        int status = response.status();
        if (status >= 500) {
            failures.add(what + ": " + status + " " + abbreviate(response.body()));
            return;
        }
        if (status < 400) {
            if (expected.length > 0) {
                failures.add(what + ": answered " + status + ", expected a refusal");
            }
            return;
        }
        refused++;
        if (expected.length > 0 && java.util.Arrays.stream(expected).noneMatch(code -> code == status)) {
            failures.add(what + ": " + status + ", expected one of " + java.util.Arrays.toString(expected));
        }
        String type = response.contentType();
        String body = response.body();
        if (!type.startsWith("application/problem+json")) {
            failures.add(what + ": " + status + " with content type '" + type + "': " + abbreviate(body));
            return;
        }
        try {
            if (io.restassured.path.json.JsonPath.from(body).getInt("status") != status) {
                failures.add(what + ": the problem names another status: " + abbreviate(body));
            }
        } catch (RuntimeException e) {
            failures.add(what + ": the problem is not JSON: " + abbreviate(body));
        }
        if (body.contains("Exception") || body.contains("\tat ") || body.contains("io.charon")) {
            failures.add(what + ": the problem shows internals: " + abbreviate(body));
        }
    }

    /** Every endpoint of the API and how to call it with a body. */
    enum Endpoint {
        SUBMIT("POST", "/api/v1/jobs"), LIST("GET", "/api/v1/jobs"), GET("GET", "/api/v1/jobs/" + UNKNOWN_JOB),
        WAIT("GET", "/api/v1/jobs/" + UNKNOWN_JOB + "/wait"), EVENTS("GET", "/api/v1/jobs/" + UNKNOWN_JOB + "/events"),
        LOG("GET", "/api/v1/jobs/" + UNKNOWN_JOB + "/log"), LOG_STREAM("GET", "/api/v1/jobs/" + UNKNOWN_JOB + "/log/stream"),
        CANCEL("POST", "/api/v1/jobs/" + UNKNOWN_JOB + "/cancel"), RELAUNCH("POST", "/api/v1/jobs/" + UNKNOWN_JOB + "/relaunch"),
        EVENT_STREAM("GET", "/api/v1/events"), WORKERS("GET", "/api/v1/workers"), RESIZE("PUT", "/api/v1/workers"),
        TOKENS("GET", "/api/v1/tokens"), CREATE_TOKEN("POST", "/api/v1/tokens"), REVOKE("DELETE", "/api/v1/tokens/x"),
        AUDIT("GET", "/api/v1/audit"), METRICS("GET", "/q/metrics"), HEALTH("GET", "/q/health/ready");

        final String method;
        final String path;

        Endpoint(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Response send(RequestSpecification request, byte[] body) {
            RequestSpecification spec = request.contentType("application/json");
            if (!method.equals("GET") && !method.equals("DELETE")) {
                spec = spec.body(body);
            }
            return spec.request(method, path);
        }
    }

    private static long[] storedRows() {
        await().atMost(Duration.ofSeconds(60)).until(() -> Api.workers().getInt("activeJobs") == 0
                && Api.workers().getLong("queueSize") == 0);
        return StoreRows.count("jobs", "job_events", "api_tokens", "idempotency_keys");
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        text.chars().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').append((char) c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append((char) c);
            }
        });
        return out.append('"').toString();
    }

    private static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 80 ? flat.substring(0, 80) + "…(" + flat.length() + ")" : flat;
    }
}
