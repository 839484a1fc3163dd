package io.charon.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes jobs straight into a migrated SQLite store, as the service itself would have written
 * them over the last 30 days: a million submissions through the API would take longer than the
 * measurement. Rows are written the way the service writes them (instants as epoch milliseconds,
 * lists and maps as JSON text, priorities as numbers, one event per status change plus progress,
 * one attempt per run); {@link SeedCheck} reads a few back through the API to prove it.
 * <p>
 * Realistic spread: mostly completed, some failed, cancelled (before or while running), timed
 * out, and a few scheduled for later; several types, priorities, users, tags and host counts;
 * creation times spread evenly over the last 29.5 days (inside the 30-day retention, so the
 * service's clean-up deletes none of them during the bench), inserted in creation order as the
 * service would have. Deterministic: the same spec gives the same rows.
 * <p>
 * Speed: the service is stopped; the store's own indexes are dropped, rows go in in big
 * transactions without a journal, and the indexes are created again from the very SQL the
 * migrations stored in {@code sqlite_master}, so the schema ends up exactly as migrated.
 */
final class StoreSeeder {

    /** How many finished (historical) jobs, and how many queued ones waiting for a worker. */
    record Spec(int finished, int queued) {
        String key() {
            return finished + "-finished-" + queued + "-queued";
        }
    }

    /** What was seeded: samples to read back, the newest jobs, and a tag for filtered listings. */
    record Seeded(Path db, Spec spec, List<Map<String, Object>> samples, List<String> probeIds, String newestId,
                  String newestCompletedId, String tag, int tagged, Map<String, Integer> statuses) {
        List<String> sampleIds() {
            return samples.stream().map(s -> (String) s.get("id")).toList();
        }
    }

    static final String PROBE_TAG = "nightly";
    /** How many ids, spread over the whole store, are kept for reading jobs back. */
    private static final int PROBE_IDS = 500;
    private static final String OWNER = "bench-seeded-instance";
    private static final int COMMIT_EVERY = 50_000;
    private static final String[] USERS = users();
    private static final String[] PLAYBOOKS = {"hello.yml", "site.yml", "patch.yml", "deploy.yml", "backup.yml"};
    private static final String[] EXTRA_TAGS = {"web", "db", "cache", "patching", "deploy", "backup", PROBE_TAG,
            "eu-west", "us-east", "canary"};

    private final Random random = new Random(20261129L);
    private final Map<String, Integer> statuses = new TreeMap<>();
    private PreparedStatement jobs;
    private PreparedStatement tags;
    private PreparedStatement events;
    private PreparedStatement attempts;

    private StoreSeeder() {
    }

    static Seeded seed(Path db, Spec spec, Instant now) throws SQLException {
        return new StoreSeeder().write(db, spec, now.toEpochMilli());
    }

    private Seeded write(Path db, Spec spec, long now) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=OFF");
                s.execute("PRAGMA synchronous=OFF");
                s.execute("PRAGMA foreign_keys=OFF");
                s.execute("PRAGMA cache_size=-1000000");
                s.execute("PRAGMA temp_store=MEMORY");
            }
            c.setAutoCommit(false);
            List<String> indexes = dropIndexes(c);
            jobs = c.prepareStatement("INSERT INTO jobs (id, name, type, priority, status, playbook, inventory, variables,"
                    + " tags, depends_on, description, user_id, scheduled_at, start_after, timeout_ms, max_retries,"
                    + " retry_count, retry_delay_ms, created_at, started_at, completed_at, duration_ms, exit_code, output,"
                    + " error_message, log_path, host_stats, lease_owner, lease_token, lease_expires_at, event_seq)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?, ?, 3600000, ?, 0, 10000, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " NULL, ?, NULL, ?)");
            tags = c.prepareStatement("INSERT INTO job_tags (tag, job_id, created_at) VALUES (?, ?, ?)");
            events = c.prepareStatement("INSERT INTO job_events (job_id, seq, type, status, message, data, created_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)");
            attempts = c.prepareStatement("INSERT INTO job_attempts (job_id, number, owner, started_at, ended_at, outcome,"
                    + " exit_code, error_message, log_path) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?)");

            List<Map<String, Object>> samples = new ArrayList<>();
            List<String> probeIds = new ArrayList<>();
            int sampleEvery = Math.max(1, spec.finished() / 5);
            int probeEvery = Math.max(1, spec.finished() / PROBE_IDS);
            long span = Duration.ofHours(29 * 24 + 12).toMillis();
            long first = now - span;
            long newestFinished = now - Duration.ofMinutes(10).toMillis();
            String newestId = null;
            String newestCompletedId = null;
            int tagged = 0;
            for (int i = 0; i < spec.finished(); i++) {
                long created = first + (long) ((double) i / Math.max(1, spec.finished()) * (newestFinished - first));
                Map<String, Object> job = finishedJob(created, now);
                tagged += insert(job);
                newestId = (String) job.get("id");
                if ("completed".equals(job.get("status"))) {
                    newestCompletedId = newestId;
                }
                if (i % sampleEvery == sampleEvery / 2 || i == spec.finished() - 1) {
                    samples.add(job);
                }
                if (i % probeEvery == 0) {
                    probeIds.add(newestId);
                }
                flush(c, i);
            }
            long queuedFrom = now - Duration.ofHours(1).toMillis();
            for (int i = 0; i < spec.queued(); i++) {
                long created = queuedFrom + (long) ((double) i / spec.queued() * (Duration.ofMinutes(59).toMillis()));
                Map<String, Object> job = queuedJob(created);
                tagged += insert(job);
                newestId = (String) job.get("id");
                if (i == spec.queued() - 1) {
                    samples.add(job);
                }
                flush(c, spec.finished() + i);
            }
            executeBatches();
            // the seeded history counts as published: a service started on the store relays only the
            // events that come after it, as the service that made the history would have left it
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE event_cursors SET last_id = (SELECT coalesce(max(id), 0) FROM job_events)");
            }
            c.commit();
            c.setAutoCommit(true);
            Bench.note("seeded rows; creating " + indexes.size() + " indexes again");
            try (Statement s = c.createStatement()) {
                for (String index : indexes) {
                    s.execute(index);
                }
                s.execute("PRAGMA journal_mode=WAL");
            }
            return new Seeded(db, spec, samples, probeIds, newestId, newestCompletedId, PROBE_TAG, tagged, statuses);
        }
    }

    /** Drops the store's own indexes, returning the SQL that creates them again. */
    private static List<String> dropIndexes(Connection c) throws SQLException {
        List<String> creates = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
                        + " AND tbl_name IN ('jobs', 'job_tags', 'job_events', 'job_attempts', 'job_dependencies')")) {
            while (r.next()) {
                names.add(r.getString(1));
                creates.add(r.getString(2));
            }
        }
        try (Statement s = c.createStatement()) {
            for (String name : names) {
                s.execute("DROP INDEX \"" + name + "\"");
            }
        }
        return creates;
    }

    private void flush(Connection c, int rowsSoFar) throws SQLException {
        if ((rowsSoFar + 1) % 5_000 == 0) {
            executeBatches();
        }
        if ((rowsSoFar + 1) % COMMIT_EVERY == 0) {
            c.commit();
        }
    }

    private void executeBatches() throws SQLException {
        jobs.executeBatch();
        tags.executeBatch();
        events.executeBatch();
        attempts.executeBatch();
    }

    // ---- one job ------------------------------------------------------------------------------

    /** A job that ran (or not) and ended, or is scheduled for later. Field names as the API shows them. */
    private Map<String, Object> finishedJob(long created, long now) {
        Map<String, Object> job = commonFields(created);
        double r = random.nextDouble();
        String status = r < 0.86 ? "completed" : r < 0.93 ? "failed" : r < 0.96 ? "cancelled" : r < 0.985 ? "timeout"
                : "scheduled";
        job.put("status", status);
        boolean ran = !status.equals("scheduled") && !(status.equals("cancelled") && random.nextBoolean());
        List<Object[]> jobEvents = new ArrayList<>();
        String user = (String) job.get("userId");
        jobEvents.add(event("job.created", status.equals("scheduled") ? "scheduled" : "queued", "created by " + user, null, created));
        if (status.equals("scheduled")) {
            long at = now + Duration.ofDays(1 + random.nextInt(30)).toMillis();
            job.put("scheduledAt", Instant.ofEpochMilli(at));
            job.put("startAfter", Instant.ofEpochMilli(at));
            jobEvents.add(event("job.scheduled", "scheduled", "scheduled for " + Instant.ofEpochMilli(at), null, created));
        } else {
            jobEvents.add(event("job.queued", "queued", "waiting for a worker", null, created));
        }
        if (ran) {
            long started = created + 20 + random.nextInt(3000);
            long duration = status.equals("timeout") ? 3_600_000 : (long) (1500 * Math.pow(80, random.nextDouble()));
            long completed = started + duration;
            if (completed > now - 60_000) {
                completed = now - 60_000;
            }
            job.put("startedAt", Instant.ofEpochMilli(started));
            job.put("completedAt", Instant.ofEpochMilli(completed));
            job.put("duration", Duration.ofMillis(completed - started));
            job.put("logPath", "logs/" + job.get("id") + "-1.log");
            Integer exit = switch (status) {
                case "completed" -> 0;
                case "failed" -> 2;
                default -> 143;
            };
            job.put("exitCode", exit);
            @SuppressWarnings("unchecked")
            List<String> hosts = (List<String>) job.get("inventory");
            String failedHost = hosts.get(random.nextInt(hosts.size()));
            String error = switch (status) {
                case "failed" -> "task 'Run a command' failed on host " + failedHost + ": non-zero return code";
                case "timeout" -> "timed out after PT1H";
                case "cancelled" -> "cancelled while running";
                default -> null;
            };
            job.put("errorMessage", error);
            job.put("hostStats", hostStats(hosts, status.equals("failed") ? failedHost : null));
            job.put("output", recap(hosts, status.equals("failed") ? failedHost : null));
            jobEvents.add(event("job.started", "running", "started by " + OWNER, null, started));
            jobEvents.add(event("job.progress", "running", "task: Greet",
                    "{\"event\":\"task_start\",\"task\":\"Greet\",\"host\":\"\"}", started + 400));
            jobEvents.add(event("job.progress", "running", "ok: [" + hosts.get(0) + "] Greet",
                    "{\"event\":\"host_result\",\"task\":\"Greet\",\"host\":\"" + hosts.get(0) + "\",\"result\":\"ok\"}",
                    started + 450));
            jobEvents.add(event("job." + status, status, error == null ? status : error, null, completed));
            job.put("attempts", 1L);
            job.put("leaseToken", 1L);
        } else if (status.equals("cancelled")) {
            long completed = Math.min(created + 1000 + random.nextInt(600_000), now - 60_000);
            job.put("completedAt", Instant.ofEpochMilli(completed));
            jobEvents.add(event("job.cancelled", "cancelled", "cancelled by " + user, null, completed));
            job.put("attempts", 0L);
            job.put("leaseToken", 0L);
        } else {
            job.put("attempts", 0L);
            job.put("leaseToken", 0L);
        }
        statuses.merge(status, 1, Integer::sum);
        job.put("events", jobEvents);
        return job;
    }

    /**
     * A job waiting for a worker: hello.yml on localhost, so it can really run; priority normal,
     * so that the memory scenario's live traffic (high) goes first.
     */
    private Map<String, Object> queuedJob(long created) {
        Map<String, Object> job = commonFields(created);
        job.put("priority", "normal");
        job.put("playbook", "hello.yml");
        job.put("inventory", List.of("localhost"));
        job.put("status", "queued");
        job.put("attempts", 0L);
        job.put("leaseToken", 0L);
        job.put("events", List.of(
                event("job.created", "queued", "created by " + job.get("userId"), null, created),
                event("job.queued", "queued", "waiting for a worker", null, created)));
        statuses.merge("queued", 1, Integer::sum);
        return job;
    }

    private Map<String, Object> commonFields(long created) {
        Map<String, Object> job = new LinkedHashMap<>();
        String id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L).toString();
        job.put("id", id);
        String playbook = PLAYBOOKS[random.nextInt(PLAYBOOKS.length)];
        job.put("name", playbook.replace(".yml", "") + " run " + Integer.toHexString(random.nextInt(0xFFFFF)));
        job.put("type", random.nextDouble() < 0.85 ? "ansible" : "provisioning");
        double p = random.nextDouble();
        job.put("priority", p < 0.10 ? "low" : p < 0.80 ? "normal" : p < 0.95 ? "high" : "critical");
        job.put("playbook", playbook);
        int hostCount = 1 + (int) (Math.pow(random.nextDouble(), 3) * 8);
        String group = random.nextBoolean() ? "web" : "db";
        List<String> hosts = new ArrayList<>();
        for (int h = 1; h <= hostCount; h++) {
            hosts.add(String.format("%s-%02d.example.net", group, h));
        }
        job.put("inventory", hosts);
        job.put("variables", random.nextDouble() < 0.4 ? Map.of("version", "1." + random.nextInt(20) + ".0") : Map.of());
        List<String> jobTags = new ArrayList<>();
        double env = random.nextDouble();
        jobTags.add(env < 0.5 ? "prod" : env < 0.8 ? "staging" : "dev");
        int extra = random.nextInt(3);
        for (int t = 0; t < extra; t++) {
            String tag = EXTRA_TAGS[random.nextInt(EXTRA_TAGS.length)];
            if (!jobTags.contains(tag)) {
                jobTags.add(tag);
            }
        }
        job.put("tags", jobTags);
        job.put("description", random.nextDouble() < 0.3 ? "Routine " + playbook.replace(".yml", "") + " of the " + group
                + " tier" : null);
        // a few heavy users submit most jobs
        job.put("userId", USERS[(int) (Math.pow(random.nextDouble(), 2) * USERS.length)]);
        job.put("maxRetries", random.nextDouble() < 0.9 ? 0L : 2L);
        // constants of the INSERT, listed so that SeedCheck compares them too
        job.put("dependsOn", List.of());
        job.put("timeout", Duration.ofHours(1));
        job.put("retryCount", 0L);
        job.put("retryDelay", Duration.ofSeconds(10));
        job.put("createdAt", Instant.ofEpochMilli(created));
        return job;
    }

    @SuppressWarnings("unchecked")
    private int insert(Map<String, Object> job) throws SQLException {
        String id = (String) job.get("id");
        int i = 1;
        jobs.setString(i++, id);
        jobs.setString(i++, (String) job.get("name"));
        jobs.setString(i++, (String) job.get("type"));
        jobs.setInt(i++, priorityValue((String) job.get("priority")));
        jobs.setString(i++, (String) job.get("status"));
        jobs.setString(i++, (String) job.get("playbook"));
        jobs.setString(i++, jsonList((List<String>) job.get("inventory")));
        jobs.setString(i++, jsonMap((Map<String, String>) job.get("variables")));
        jobs.setString(i++, jsonList((List<String>) job.get("tags")));
        setText(i++, (String) job.get("description"));
        jobs.setString(i++, (String) job.get("userId"));
        setInstant(i++, job.get("scheduledAt"));
        setInstant(i++, job.get("startAfter"));
        jobs.setLong(i++, (Long) job.get("maxRetries"));
        setInstant(i++, job.get("createdAt"));
        setInstant(i++, job.get("startedAt"));
        setInstant(i++, job.get("completedAt"));
        Duration duration = (Duration) job.get("duration");
        if (duration == null) {
            jobs.setNull(i++, Types.BIGINT);
        } else {
            jobs.setLong(i++, duration.toMillis());
        }
        Integer exit = (Integer) job.get("exitCode");
        if (exit == null) {
            jobs.setNull(i++, Types.INTEGER);
        } else {
            jobs.setInt(i++, exit);
        }
        setText(i++, (String) job.get("output"));
        setText(i++, (String) job.get("errorMessage"));
        setText(i++, (String) job.get("logPath"));
        setText(i++, hostStatsJson((Map<String, Map<String, Long>>) job.get("hostStats")));
        jobs.setLong(i++, (Long) job.get("leaseToken"));
        List<Object[]> jobEvents = (List<Object[]>) job.get("events");
        jobs.setLong(i, jobEvents.size());
        jobs.addBatch();

        for (String tag : (List<String>) job.get("tags")) {
            tags.setString(1, tag);
            tags.setString(2, id);
            // the service keeps the job's creation time beside each tag (V3), for listing by tag
            tags.setLong(3, ((Instant) job.get("createdAt")).toEpochMilli());
            tags.addBatch();
        }
        long seq = 0;
        for (Object[] e : jobEvents) {
            events.setString(1, id);
            events.setLong(2, ++seq);
            events.setString(3, (String) e[0]);
            events.setString(4, (String) e[1]);
            events.setString(5, (String) e[2]);
            events.setString(6, (String) e[3]);
            events.setLong(7, (Long) e[4]);
            events.addBatch();
        }
        if ((Long) job.get("attempts") > 0) {
            attempts.setString(1, id);
            attempts.setString(2, OWNER);
            attempts.setLong(3, ((Instant) job.get("startedAt")).toEpochMilli());
            attempts.setLong(4, ((Instant) job.get("completedAt")).toEpochMilli());
            attempts.setString(5, (String) job.get("status"));
            attempts.setObject(6, job.get("exitCode"));
            attempts.setString(7, (String) job.get("errorMessage"));
            attempts.setString(8, (String) job.get("logPath"));
            attempts.addBatch();
        }
        return ((List<String>) job.get("tags")).contains(PROBE_TAG) ? 1 : 0;
    }

    private void setText(int index, String value) throws SQLException {
        if (value == null) {
            jobs.setNull(index, Types.VARCHAR);
        } else {
            jobs.setString(index, value);
        }
    }

    /** Instants as the service stores them: epoch milliseconds in an integer. */
    private void setInstant(int index, Object instant) throws SQLException {
        if (instant == null) {
            jobs.setNull(index, Types.BIGINT);
        } else {
            jobs.setLong(index, ((Instant) instant).toEpochMilli());
        }
    }

    private static Object[] event(String type, String status, String message, String data, long at) {
        return new Object[]{type, status, message, data, at};
    }

    private Map<String, Map<String, Long>> hostStats(List<String> hosts, String failedHost) {
        Map<String, Map<String, Long>> stats = new TreeMap<>();
        for (String host : hosts) {
            boolean failed = host.equals(failedHost);
            Map<String, Long> s = new LinkedHashMap<>();
            s.put("ok", failed ? 1L : 2L);
            s.put("changed", (long) random.nextInt(2));
            s.put("failed", failed ? 1L : 0L);
            s.put("skipped", 0L);
            s.put("unreachable", 0L);
            s.put("rescued", 0L);
            s.put("ignored", 0L);
            stats.put(host, s);
        }
        return stats;
    }

    private static String recap(List<String> hosts, String failedHost) {
        StringBuilder out = new StringBuilder("\nPLAY [Say hello] ***************************************************************\n\n"
                + "TASK [Greet] *******************************************************************\n");
        for (String host : hosts) {
            out.append("ok: [").append(host).append("] => {\n    \"msg\": \"hello from ").append(host).append("\"\n}\n");
        }
        out.append("\nTASK [Run a command] ***********************************************************\n");
        for (String host : hosts) {
            out.append(host.equals(failedHost) ? "fatal: [" + host + "]: FAILED! => {\"changed\": false, \"rc\": 1}\n"
                    : "ok: [" + host + "]\n");
        }
        out.append("\nPLAY RECAP *********************************************************************\n");
        for (String host : hosts) {
            boolean failed = host.equals(failedHost);
            out.append(String.format("%-26s : ok=%d    changed=0    unreachable=0    failed=%d    skipped=0    rescued=0"
                    + "    ignored=0%n", host, failed ? 1 : 2, failed ? 1 : 0));
        }
        return out.toString();
    }

    static int priorityValue(String wireName) {
        return switch (wireName) {
            case "low" -> 1;
            case "normal" -> 5;
            case "high" -> 10;
            case "critical" -> 15;
            default -> throw new IllegalArgumentException(wireName);
        };
    }

    private static String jsonList(List<String> values) {
        return "[" + String.join(",", values.stream().map(Json::quote).toList()) + "]";
    }

    private static String jsonMap(Map<String, String> values) {
        return "{" + String.join(",", values.entrySet().stream()
                .map(e -> Json.quote(e.getKey()) + ":" + Json.quote(e.getValue())).toList()) + "}";
    }

    private static String hostStatsJson(Map<String, Map<String, Long>> stats) {
        if (stats == null) {
            return null;
        }
        return "{" + String.join(",", stats.entrySet().stream().map(e -> Json.quote(e.getKey()) + ":{"
                + String.join(",", e.getValue().entrySet().stream().map(s -> Json.quote(s.getKey()) + ":" + s.getValue())
                .toList()) + "}").toList()) + "}";
    }

    private static String[] users() {
        String[] users = new String[40];
        for (int i = 0; i < users.length; i++) {
            users[i] = String.format("user-%02d", i + 1);
        }
        return users;
    }
}
