package io.charon.jobs.security;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Hostile requests generated from valid ones, the same for the same seed: each operation of the
 * API is called as the admin, as a viewer and without a token, and each call gets one to three
 * mutations of its method, path, query, headers or body (wrong types, huge, negative and odd
 * numbers, unicode, control characters, deep nesting, duplicate keys, truncated JSON, odd
 * content types, traversal, encoded slashes, long query strings...).
 * <p>
 * A request that could change something (any method but GET, HEAD and OPTIONS) is built so that
 * the service must refuse it: the admin's bodies always carry at least one invalid part, a
 * viewer lacks the role, nobody lacks a token, and the ids are of nothing that may change. So
 * any 2xx to such a request is a defect, as is any 5xx.
 * <p>
 * Not generated: instants beyond the year 9999, durations near {@code Long.MAX_VALUE} seconds and
 * host ranges: those are checked where their limits are defined.
 */
final class HostileRequests {

    enum Who { ADMIN, VIEWER, NOBODY }

    /** The body an operation takes. */
    enum Body { NONE, SUBMISSION, WORKERS, TOKEN }

    /** Every operation of the API, as its valid request looks. */
    enum Operation {
        SUBMIT("submitJob", "POST", "/api/v1/jobs", Body.SUBMISSION),
        LIST("listJobs", "GET", "/api/v1/jobs", Body.NONE, "status", "type", "priority", "tag", "userId", "createdAfter",
                "createdBefore", "limit", "cursor"),
        GET("getJob", "GET", "/api/v1/jobs/{job}", Body.NONE),
        WAIT("waitForJob", "GET", "/api/v1/jobs/{job}/wait", Body.NONE, "timeout"),
        EVENTS("listJobEvents", "GET", "/api/v1/jobs/{job}/events", Body.NONE),
        LOG("getJobLog", "GET", "/api/v1/jobs/{job}/log", Body.NONE),
        LOG_STREAM("followJobLog", "GET", "/api/v1/jobs/{job}/log/stream", Body.NONE),
        CANCEL("cancelJob", "POST", "/api/v1/jobs/{job}/cancel", Body.NONE),
        RELAUNCH("relaunchJob", "POST", "/api/v1/jobs/{job}/relaunch", Body.NONE),
        EVENT_STREAM("followEvents", "GET", "/api/v1/events", Body.NONE, "type", "jobId", "tag", "userId", "after"),
        WORKERS("getWorkers", "GET", "/api/v1/workers", Body.NONE),
        RESIZE("resizeWorkers", "PUT", "/api/v1/workers", Body.WORKERS),
        STATS("getStats", "GET", "/api/v1/stats", Body.NONE, "createdAfter", "createdBefore", "type", "tag", "userId"),
        AUDIT("listAuditEntries", "GET", "/api/v1/audit", Body.NONE, "principal", "action", "target", "limit", "cursor"),
        TOKENS("listTokens", "GET", "/api/v1/tokens", Body.NONE),
        CREATE_TOKEN("createToken", "POST", "/api/v1/tokens", Body.TOKEN),
        REVOKE("revokeToken", "DELETE", "/api/v1/tokens/{token}", Body.NONE);

        final String id;
        final String method;
        final String template;
        final Body body;
        final List<String> parameters;

        Operation(String id, String method, String template, Body body, String... parameters) {
            this.id = id;
            this.method = method;
            this.template = template;
            this.body = body;
            this.parameters = List.of(parameters);
        }
    }

    /**
     * One request. {@code operation}: the operation it still calls as documented (method and path
     * unchanged, a Host, no body where none belongs), else null. {@code wire}: malformed as HTTP
     * (the HTTP server itself refuses it, before any handler, with a bare 4xx or by closing).
     */
    record Request(String label, Operation operation, String method, String target, List<String> headers, byte[] body,
                   boolean chunked, boolean mustRefuse, boolean wire) {

        byte[] bytes() {
            return RawHttp.request(method, target, headers, body, chunked);
        }
    }

    static final String UNKNOWN_JOB = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
    static final String UNKNOWN_TOKEN = "0190a1b2-0000-7000-8000-00000000dead";

    /** Hostile values for a path segment, as they go on the wire (percent-encoded where HTTP requires). */
    static final List<String> IDS = List.of(UNKNOWN_JOB, UNKNOWN_JOB.toUpperCase(Locale.ROOT), "..%2F..%2Fetc%2Fpasswd",
            "%2e%2e%2f%2e%2e%2f", "%2e%2e", ".%2e", "%252e%252e%252f", "x%2Fy", "%5C..%5C..%5Cwindows", "%00", "%0d%0aX:%20y",
            "%E2%80%AE", "%F0%9F%98%80", "%C0%AE%C0%AE", "%FF%FE", "x".repeat(3000), "%20", "a;b=c", "*", "~", "null",
            "-1", "0", "1e3", "99999999999999999999", "%7B%7B7*7%7D%7D", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
            "%27%20OR%20%271%27%3D%271", "%3Bid", "%60id%60", "%3Cscript%3E");

    /** Hostile query values, percent-encoded as they go on the wire. */
    static final List<String> VALUES = List.of("", "-1", "0", "-0", "1.5", "1e3", "0x10", "99999999999999999999",
            "-99999999999999999999", "2147483648", "NaN", "Infinity", "null", "true", "%00", "%0d%0aX-Injected:%20yes",
            "%1b%5b31m", "%E2%80%AE", "%F0%9F%98%80", "%C3%A9t%C3%A9", "%FF%FE", "%C0%AE%C0%AE", "..%2F..%2Fetc%2Fpasswd",
            "%27%20OR%20%271%27%3D%271", "%3Bcat%20%2Fetc%2Fpasswd", "%7B%7B7*7%7D%7D", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
            "a%26b%3Dc", "x".repeat(4000), "%20", "+", "2030-13-45T99:99:99Z", "2030-01-01", "2030-01-01T00:00:00",
            "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2030-01-01T00:00:00%2B25:00", "PT-1S", "P1000D", "PT", "P1Y",
            "queued,,bogus", ",", "%2C", "job.completed,nope", "admin%00", "%5B%5D", "%7B%7D");

    /** Valid values of each query parameter. */
    private static final Map<String, List<String>> VALID = Map.ofEntries(
            Map.entry("status", List.of("queued", "completed", "queued,running")), Map.entry("type", List.of("ansible")),
            Map.entry("priority", List.of("high", "10")), Map.entry("tag", List.of("demo")),
            Map.entry("userId", List.of("admin")), Map.entry("createdAfter", List.of("2020-01-01T00:00:00Z")),
            Map.entry("createdBefore", List.of("2031-01-01T00:00:00Z")), Map.entry("limit", List.of("10", "500")),
            Map.entry("cursor", List.of("")), Map.entry("timeout", List.of("PT0S", "PT0.2S")),
            Map.entry("jobId", List.of(UNKNOWN_JOB)), Map.entry("after", List.of("0")),
            Map.entry("principal", List.of("admin")), Map.entry("action", List.of("job.submit")),
            Map.entry("target", List.of("workers")));

    private static final List<String> ACCEPTS = List.of("application/xml", "text/html", "image/png", "*/*", "application/*",
            "text/event-stream", "application/json;q=0", "application/json, text/plain;q=0.5", "x", "*/*;q=abc", "",
            "application/problem+json", "text/plain", "application/json;charset=ebcdic", "a/b/c",
            "application/json;" + "q=1;".repeat(500));

    private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=zz", "application/json; charset=utf-16", "application/json;charset=nonsense",
            "application/json, text/plain", "application/ json", "application", "", "*/*", "application/*",
            "application/problem+json", "text/json", "application/xml", "application/json;" + "x=y;".repeat(1000),
            "application/octet-stream", "application/json; charset=\"utf-8\"");

    private static final List<String> ODD_HEADERS = List.of("X-Forwarded-For: 127.0.0.1, <script>alert(1)</script>",
            "X-Forwarded-Host: evil.example", "Forwarded: for=\"[::1]\";proto=gopher", "X-HTTP-Method-Override: DELETE",
            "X-Original-URL: /api/v1/tokens", "X-Rewrite-URL: /api/v1/workers", "Origin: https://evil.example",
            "Referer: javascript:alert(1)", "Cookie: session=../../etc/passwd; a", "Range: bytes=0-1,5-2",
            "If-None-Match: *", "If-Modified-Since: yesterday", "Accept-Encoding: gzip;q=abc, br, *;q=-1",
            "Content-Encoding: gzip", "Accept-Charset: ebcdic", "Accept-Language: " + "x-".repeat(1000) + "x",
            "User-Agent: " + "A".repeat(3000), "X-Empty:", "X-Spaces:      ", "Expect: 100-continue",
            "Upgrade: h2c", "Connection: Upgrade, HTTP2-Settings", "Max-Forwards: -1", "Via: 1.1 ../../",
            "X-Request-Id: ${jndi:ldap://127.0.0.1:1/a}", "Content-Language: {{7*7}}", "Pragma: no-cache",
            "TE: trailers", "Priority: u=0", "X-" + "h".repeat(200) + ": v");

    private static final List<String> BAD_AUTHORIZATIONS = List.of("Bearer", "Bearer ", "Bearer  x", "bearer x",
            "Basic YWRtaW46YWRtaW4=", "Bearer null", "Bearer a.b.c", "Bearer eyJhbGciOiJub25lIn0.eyJyb2xlcyI6WyJhZG1pbiJdfQ.",
            "Bearer " + "x".repeat(9000), "Bearer ' OR '1'='1", "Digest username=admin", "Negotiate YII=",
            "Bearer chr_" + "A".repeat(43));

    private static final List<String> METHODS = List.of("POST", "PUT", "DELETE", "PATCH", "GET", "HEAD", "OPTIONS",
            "TRACE", "PROPFIND", "FOO", "get", "M-SEARCH");

    private final Random random;
    private final String adminToken;
    private final String viewerToken;
    private final String doneJob;

    /**
     * @param doneJob a finished job of the admin: read, cancelled (a 409) and relaunched only by those who may not
     */
    HostileRequests(long seed, String adminToken, String viewerToken, String doneJob) {
        this.random = new Random(seed);
        this.adminToken = adminToken;
        this.viewerToken = viewerToken;
        this.doneJob = doneJob;
    }

    /** {@code rounds} requests for each operation and caller. */
    List<Request> generate(int rounds) {
        List<Request> requests = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (Operation operation : Operation.values()) {
                for (Who who : Who.values()) {
                    requests.add(one(operation, who, round));
                }
            }
        }
        return requests;
    }

    // ---- one request -----------------------------------------------------------------------------

    /** A request as it is built up: the valid one first, then mutated. */
    private final class Draft {
        final Operation operation;
        final Who who;
        String method;
        String path;
        final Map<String, List<String>> query = new LinkedHashMap<>();
        String rawQuery;
        final List<String> headers = new ArrayList<>();
        byte[] body;
        boolean chunked;
        boolean documented = true;
        boolean wire;
        final List<String> changes = new ArrayList<>();

        Draft(Operation operation, Who who) {
            this.operation = operation;
            this.who = who;
            this.method = operation.method;
            this.path = operation.template.replace("{job}", jobId(operation, who)).replace("{token}", UNKNOWN_TOKEN);
            headers.add("Host: 127.0.0.1");
            if (who != Who.NOBODY) {
                headers.add("Authorization: Bearer " + (who == Who.ADMIN ? adminToken : viewerToken));
            }
            if (operation.body != Body.NONE) {
                headers.add("Content-Type: application/json");
                body = validBody(operation.body).getBytes(StandardCharsets.UTF_8);
            }
            if (!operation.parameters.isEmpty() && random.nextBoolean()) {
                String name = pick(operation.parameters);
                query.computeIfAbsent(name, n -> new ArrayList<>()).add(pick(VALID.get(name)));
            }
        }

        String target() {
            if (rawQuery != null) {
                return path + "?" + rawQuery;
            }
            if (query.isEmpty()) {
                return path;
            }
            StringBuilder target = new StringBuilder(path).append('?');
            query.forEach((name, values) -> values.forEach(value -> target.append(name).append('=').append(value).append('&')));
            target.setLength(target.length() - 1);
            return target.toString();
        }

        void header(String name, String value) {
            headers.removeIf(header -> header.regionMatches(true, 0, name + ":", 0, name.length() + 1));
            if (value != null) {
                headers.add(name + ": " + value);
            }
        }
    }

    private String jobId(Operation operation, Who who) {
        // the admin never relaunches the finished job (that would make a job); the others are refused before
        if (operation == Operation.RELAUNCH && who == Who.ADMIN) {
            return UNKNOWN_JOB;
        }
        return random.nextInt(3) == 0 ? UNKNOWN_JOB : doneJob;
    }

    private Request one(Operation operation, Who who, int round) {
        Draft draft = new Draft(operation, who);
        boolean invalidBody = operation.body != Body.NONE && who == Who.ADMIN;
        if (invalidBody) {
            invalidateBody(draft);
        }
        int mutations = (invalidBody ? 0 : 1) + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            mutate(draft);
        }
        if (round % 40 == 39) {
            wire(draft);
        }
        boolean reads = draft.method.equals("GET") || draft.method.equals("HEAD") || draft.method.equals("OPTIONS");
        String label = who + " " + draft.method + " " + abbreviate(draft.target()) + " [" + String.join("; ", draft.changes) + "]";
        return new Request(label, draft.documented && !draft.wire ? operation : null, draft.method, draft.target(),
                List.copyOf(draft.headers), draft.body, draft.chunked, !reads, draft.wire);
    }

    private void mutate(Draft draft) {
        int kind = random.nextInt(100);
        if (kind < 14) {
            methodOf(draft);
        } else if (kind < 28) {
            pathOf(draft);
        } else if (kind < 44) {
            queryOf(draft);
        } else if (kind < 72) {
            headerOf(draft);
        } else if (draft.operation.body != Body.NONE) {
            if (random.nextBoolean()) {
                invalidateBody(draft);
            } else {
                neutralBody(draft);
            }
        } else {
            // a body where none belongs: always one no operation would take
            draft.body = invalidBytes(random.nextBoolean() ? Body.SUBMISSION : Body.TOKEN);
            if (random.nextBoolean()) {
                draft.header("Content-Type", "application/json");
            }
            draft.chunked = random.nextInt(4) == 0;
            draft.documented = false;
            draft.changes.add("body on " + draft.operation.id);
        }
    }

    private void methodOf(Draft draft) {
        String method = pick(METHODS);
        if (method.equals(draft.method)) {
            method = "PATCH";
        }
        // a write method on a read's path carries no body that could be valid there
        if (!draft.operation.method.equals("GET") || !(method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS"))) {
            if (draft.body != null && draft.operation.body == Body.NONE) {
                draft.body = invalidBytes(Body.SUBMISSION);
            }
        }
        draft.method = method;
        draft.documented = false;
        draft.changes.add("method " + method);
    }

    private void pathOf(Draft draft) {
        String path = draft.path;
        int at = path.lastIndexOf('/');
        switch (random.nextInt(14)) {
            case 0, 1, 2, 3 -> {
                if (draft.operation.template.contains("{")) {
                    String id = pick(IDS);
                    String template = draft.operation.template;
                    draft.path = template.replace("{job}", id).replace("{token}", id);
                    draft.changes.add("id " + abbreviate(id));
                    return; // still the documented operation: a hostile id is its input
                }
                draft.path = path + "/" + pick(IDS);
            }
            case 4 -> draft.path = path + "/";
            case 5 -> draft.path = path.replace("/v1/", "//v1//");
            case 6 -> draft.path = path.replace("/api/", "/api/./").replace("/v1/", "/x/../v1/");
            case 7 -> draft.path = path.toUpperCase(Locale.ROOT);
            case 8 -> draft.path = path + ";jsessionid=x";
            case 9 -> draft.path = path + ".json";
            case 10 -> draft.path = path.substring(0, at) + "%2F" + path.substring(at + 1);
            case 11 -> draft.path = path.substring(0, at) + "/..;/" + path.substring(at + 1);
            case 12 -> draft.path = path + "/%2e%2e/%2e%2e/tokens";
            default -> draft.path = path.startsWith("http:") ? path + "/" : "http://127.0.0.1" + path;
        }
        draft.documented = false;
        draft.changes.add("path");
    }

    private void queryOf(Draft draft) {
        List<String> names = draft.operation.parameters;
        switch (random.nextInt(7)) {
            case 0, 1, 2 -> {
                String name = names.isEmpty() ? "limit" : pick(names);
                draft.query.put(name, new ArrayList<>(List.of(pick(VALUES))));
                draft.changes.add("query " + name);
            }
            case 3 -> {
                draft.query.computeIfAbsent(pick(List.of("foo", "%00", "a%5Bb%5D", "__proto__", "x".repeat(300))),
                        n -> new ArrayList<>()).add(pick(VALUES));
                draft.changes.add("unknown parameter");
            }
            case 4 -> {
                String name = names.isEmpty() ? "status" : pick(names);
                List<String> values = draft.query.computeIfAbsent(name, n -> new ArrayList<>());
                values.add(VALID.getOrDefault(name, List.of("x")).get(0));
                values.add(pick(VALUES));
                draft.changes.add("repeated " + name);
            }
            case 5 -> {
                StringBuilder query = new StringBuilder();
                for (int i = 0; query.length() < 6000; i++) {
                    query.append(names.isEmpty() ? "p" + i : pick(names)).append('=').append("v".repeat(30)).append('&');
                }
                draft.rawQuery = query.toString();
                draft.changes.add("long query");
            }
            default -> {
                draft.rawQuery = pick(List.of("&&&", "=x", "limit", "limit=&limit=", "?", "a=b=c", "%3D%26", "#frag", "&=&="));
                draft.changes.add("odd query");
            }
        }
    }

    private void headerOf(Draft draft) {
        switch (random.nextInt(12)) {
            case 0, 1 -> {
                draft.header("Accept", pick(ACCEPTS));
                draft.changes.add("accept");
            }
            case 2, 3 -> {
                String type = random.nextInt(5) == 0 ? null : pick(CONTENT_TYPES);
                draft.header("Content-Type", type);
                if (draft.body == null && random.nextBoolean()) {
                    draft.body = new byte[0];
                }
                draft.changes.add("content type " + type);
            }
            case 4, 5 -> {
                draft.headers.add(pick(ODD_HEADERS));
                draft.changes.add("odd header");
            }
            case 6 -> {
                draft.header("Authorization", pick(BAD_AUTHORIZATIONS));
                draft.changes.add("bad token");
            }
            case 7 -> {
                if (draft.who == Who.NOBODY) {
                    draft.header("Authorization", pick(BAD_AUTHORIZATIONS));
                } else {
                    // the caller's own token and a bad one, in either order: never someone else's rights
                    String own = draft.headers.stream().filter(h -> h.startsWith("Authorization:")).findFirst().orElseThrow();
                    String bad = "Authorization: " + pick(BAD_AUTHORIZATIONS);
                    draft.headers.remove(own);
                    draft.headers.addAll(random.nextBoolean() ? List.of(own, bad) : List.of(bad, own));
                }
                draft.changes.add("two tokens");
            }
            case 8 -> {
                draft.headers.add("Content-Type: " + pick(CONTENT_TYPES));
                draft.changes.add("second content type");
            }
            case 9 -> {
                switch (random.nextInt(3)) {
                    case 0 -> draft.header("Host", null);
                    case 1 -> draft.header("Host", pick(List.of("evil.example", "127.0.0.1:1", "[::1]", "a@b", "x".repeat(300))));
                    default -> draft.headers.add("Host: evil.example");
                }
                draft.documented = false; // a bad Host is a bad request, whatever the operation
                draft.changes.add("host");
            }
            case 10 -> {
                draft.headers.add("Idempotency-Key: " + pick(List.of("", " ", "x".repeat(300), "a b", "'; DROP TABLE jobs; --",
                        "k", "{{7*7}}")));
                draft.changes.add("idempotency key");
            }
            default -> {
                draft.headers.add("Last-Event-ID: " + pick(List.of("-1", "abc", "1:2", "99999999999999999999", "0", "",
                        "1e3", "x:" + "9".repeat(30), "' OR 1=1")));
                draft.changes.add("last event id");
            }
        }
    }

    /** Something no HTTP/1.1 parser should take; the server's own bare refusal is allowed. */
    private void wire(Draft draft) {
        switch (random.nextInt(7)) {
            case 0 -> draft.headers.add("X-Control: a\u0001b\u007fc");
            case 1 -> draft.headers.add("X-Latin: \u00e9t\u00e9\u00ff");
            case 2 -> draft.headers.add("No colon here");
            case 3 -> draft.path = draft.path + "/%zz";
            case 4 -> draft.path = draft.path + "/" + "y".repeat(9000);
            case 5 -> {
                for (int i = 0; i < 40; i++) {
                    draft.headers.add("X-Fill-" + i + ": " + "f".repeat(500));
                }
            }
            default -> draft.headers.add("Bad Name: v");
        }
        draft.wire = true;
        draft.changes.add("malformed HTTP");
    }

    // ---- bodies ----------------------------------------------------------------------------------

    private static String validBody(Body body) {
        return switch (body) {
            case SUBMISSION -> "{\"name\":\"hostile\",\"playbook\":\"hello.yml\",\"inventory\":[\"localhost\"],\"priority\":\"high\","
                    + "\"tags\":[\"t\"],\"variables\":{\"k\":\"v\"},\"maxRetries\":1,\"timeout\":\"PT1M\",\"retryDelay\":\"PT1S\","
                    + "\"description\":\"d\",\"type\":\"ansible\"}";
            case WORKERS -> "{\"workerCount\":4}";
            case TOKEN -> "{\"userId\":\"hostile\",\"role\":\"viewer\",\"description\":\"d\",\"expiresAt\":\"2030-01-01T00:00:00Z\"}";
            case NONE -> "";
        };
    }

    /** Values that make each field invalid. */
    private static final Map<Body, Map<String, List<String>>> INVALID_FIELDS = Map.of(
            Body.SUBMISSION, Map.ofEntries(
                    Map.entry("name", List.of("123", "null", "\"\"", "\"" + "x".repeat(201) + "\"", "[\"a\"]", "{\"a\":1}", "true")),
                    Map.entry("playbook", List.of("\"../hello.yml\"", "\"/etc/passwd\"", "\"hello.txt\"", "\"missing.yml\"", "1",
                            "\"\"", "\"hello.yml\\u0000\"", "\"%2e%2e/hello.yml\"", "\"sub/../../hello.yml\"", "[\"hello.yml\"]")),
                    Map.entry("inventory", List.of("[]", "\"localhost\"", "[1]", "[\"-oProxyCommand=id\"]", "[\"a b\"]", "[\"a,b\"]",
                            "[null]", "[\"\\u0000\"]", "[\"\"]", "[[\"localhost\"]]", "{\"localhost\":1}")),
                    Map.entry("type", List.of("\"shell\"", "1", "\"ANSIBLE \"", "[]")),
                    Map.entry("priority", List.of("\"urgent\"", "7", "-1", "1e309", "99999999999999999999", "10.5", "\"\"", "{}")),
                    Map.entry("variables", List.of("[]", "\"x\"", "{\"k\":1}", "{\"k\":{\"deep\":\"v\"}}", "{\"k\":null}", "42")),
                    Map.entry("tags", List.of("\"t\"", "[1]", "[null]", "{}")),
                    Map.entry("maxRetries", List.of("-1", "101", "1.5", "\"3\"", "1e309", "99999999999999999999", "true", "-0.0")),
                    Map.entry("timeout", List.of("\"forever\"", "\"PT-1S\"", "30", "\"P400D\"", "\"PT\"", "\"1 minute\"")),
                    Map.entry("retryDelay", List.of("\"PT-1S\"", "\"soon\"", "5", "[\"PT1S\"]")),
                    Map.entry("scheduledAt", List.of("\"tomorrow\"", "\"2030-02-30T00:00:00Z\"", "12345", "\"2030-01-01\"",
                            "\"2030-01-01T25:00:00Z\"", "{}")),
                    Map.entry("dependsOn", List.of("[\"" + UNKNOWN_JOB + "\"]", "\"x\"", "[1]", "[\"../x\"]")),
                    Map.entry("id", List.of("\"x\"")), Map.entry("status", List.of("\"completed\"")),
                    Map.entry("userId", List.of("\"admin\"")), Map.entry("__proto__", List.of("{}")),
                    Map.entry("secretVariables", List.of("\"x\"", "[1]", "{\"k\":1}"))),
            Body.WORKERS, Map.of("workerCount", List.of("-1", "257", "1e309", "99999999999999999999", "\"8\"", "null", "8.5",
                    "true", "[8]", "{\"n\":8}", "-0.5", "2147483648", "1e2"), "extra", List.of("1")),
            Body.TOKEN, Map.of("userId", List.of("\"\"", "\"a b\"", "\"" + "x".repeat(101) + "\"", "1", "\"../admin\"",
                    "\"a\\u0000b\"", "[\"x\"]"), "role", List.of("\"root\"", "1", "\"\"", "null", "[\"admin\"]"),
                    "expiresAt", List.of("\"never\"", "\"2030-13-01T00:00:00Z\"", "1", "\"2030-01-01\""),
                    "description", List.of("1", "[\"x\"]", "{}"), "token", List.of("\"chr_x\""), "id", List.of("\"x\"")));

    /** Makes the body one the operation must refuse; the request keeps its operation. */
    private void invalidateBody(Draft draft) {
        Body body = draft.operation.body;
        String valid = new String(draft.body == null ? new byte[0] : draft.body, StandardCharsets.UTF_8);
        if (!valid.startsWith("{") || !valid.endsWith("}")) {
            valid = validBody(body);
        }
        String inner = valid.substring(1, valid.length() - 1);
        String result;
        String change;
        switch (random.nextInt(16)) {
            case 0, 1, 2, 3, 4 -> {
                Map<String, List<String>> fields = INVALID_FIELDS.get(body);
                String field = pick(new ArrayList<>(fields.keySet()));
                String value = pick(fields.get(field));
                result = "{" + withField(inner, field, value) + "}";
                change = "field " + field + "=" + abbreviate(value);
            }
            case 5 -> {
                result = valid.substring(0, 1 + random.nextInt(valid.length() - 1));
                change = "truncated";
            }
            case 6 -> {
                // the first field again, even with the same value: which one counts would be a guess
                String first = inner.substring(0, endOfValue(inner, inner.indexOf(':') + 1));
                result = "{" + inner + "," + first + "}";
                change = "duplicate key " + abbreviate(first);
            }
            case 7 -> {
                int depth = pick(List.of(17, 100, 5000));
                result = "{" + inner + ",\"variables\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
                if (body != Body.SUBMISSION) {
                    result = "{" + inner + ",\"nested\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
                }
                change = "deep nesting";
            }
            case 8 -> {
                result = pick(List.of("", " ", "null", "[]", "42", "\"text\"", "true", "[" + valid + "]", "{}"));
                change = "not an object";
            }
            case 9 -> {
                result = valid + pick(List.of("garbage", "{}", ",", "]", " /* c */", "\u0000"));
                change = "trailing garbage";
            }
            case 10 -> {
                result = "{/* comment */" + inner + "}";
                change = "comment";
            }
            case 11 -> {
                result = valid.replace('"', '\'');
                change = "single quotes";
            }
            case 12 -> {
                // a raw control character inside a string
                result = "{" + withField(inner, firstField(inner), "\"a\u0001\tb\"") + "}";
                change = "raw control character";
            }
            case 13 -> {
                byte[] bytes = ("{" + withField(inner, firstField(inner), "\"\u0000\"") + "}").getBytes(StandardCharsets.UTF_8);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (byte b : bytes) {
                    if (b == 0) {
                        out.write(0xC3);
                        out.write(0x28); // an invalid UTF-8 sequence
                    } else {
                        out.write(b);
                    }
                }
                draft.body = out.toByteArray();
                draft.changes.add("invalid UTF-8");
                return;
            }
            case 14 -> {
                result = "{" + withField(inner, firstField(inner), "NaN") + "}";
                change = "NaN";
            }
            default -> {
                // larger than the limit; sometimes in chunks, so that no length announces it
                result = "{" + inner + ",\"description\":\"" + "x".repeat(1_100_000) + "\"}";
                draft.chunked = random.nextBoolean();
                change = "huge body" + (draft.chunked ? " in chunks" : "");
            }
        }
        draft.body = result.getBytes(StandardCharsets.UTF_8);
        draft.changes.add(change);
    }

    /** Changes that keep a body as valid (or invalid) as it was: unicode, escapes, spacing, a BOM, chunks. */
    private void neutralBody(Draft draft) {
        if (!isUtf8(draft.body)) {
            // decoding would turn the invalid bytes into U+FFFD, a valid body: only chunks keep it as it is
            draft.chunked = true;
            draft.changes.add("neutral body change");
            return;
        }
        String text = new String(draft.body, StandardCharsets.UTF_8);
        switch (random.nextInt(6)) {
            case 0 -> text = text.replace("\"d\"", "\"\u202e\u00e9t\u00e9 \ud83d\ude00 \u4e2d\u6587\"");
            case 1 -> text = text.replace("\"d\"", "\"\\u0000\\u001b[31m\\r\\nX-Injected: yes\"");
            case 2 -> text = text.replace(",", " ,\n\t ").replace(":", " : ");
            case 3 -> text = "\ufeff" + text;
            case 4 -> text = text.replace("\"t\"", "\"\\ud800\"").replace("\"v\"", "\"\\udfff\"");
            default -> draft.chunked = true;
        }
        draft.body = text.getBytes(StandardCharsets.UTF_8);
        draft.changes.add("neutral body change");
    }

    private static boolean isUtf8(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** A body that no operation of the API takes. */
    private byte[] invalidBytes(Body like) {
        Draft scratch = new Draft(like == Body.TOKEN ? Operation.CREATE_TOKEN : Operation.SUBMIT, Who.ADMIN);
        invalidateBody(scratch);
        // a huge body on a body-less operation would only test the limit again
        return scratch.body.length > 100_000 ? "{\"name\":".getBytes(StandardCharsets.UTF_8) : scratch.body;
    }

    private static String firstField(String inner) {
        return inner.substring(1, inner.indexOf('"', 1));
    }

    /** The fields with {@code field} set to {@code value} (replaced where present). */
    private static String withField(String inner, String field, String value) {
        String key = "\"" + field + "\":";
        int at = inner.indexOf(key);
        if (at < 0) {
            return inner + "," + key + value;
        }
        int end = endOfValue(inner, at + key.length());
        return inner.substring(0, at) + key + value + inner.substring(end);
    }

    private static int endOfValue(String text, int from) {
        int depth = 0;
        boolean string = false;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (string) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    string = false;
                }
            } else if (c == '"') {
                string = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    static String abbreviate(String text) {
        String flat = text.replaceAll("\\p{Cntrl}", "?");
        return flat.length() > 80 ? flat.substring(0, 80) + "…(" + flat.length() + ")" : flat;
    }
}
