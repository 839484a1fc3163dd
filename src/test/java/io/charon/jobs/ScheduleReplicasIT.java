package io.charon.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.ServiceProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.charon.jobs.support.SchemaQueries.count;
import static io.charon.jobs.support.SchemaQueries.query;
import static io.charon.jobs.support.SchemaQueries.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Schedules fired by two packaged replicas on one PostgreSQL schema, through kill -9 of both.
 * {@value #SCHEDULES} schedules of one template at {@code * * * * *}, all from the same minute:
 * at that minute both replicas fire its {@value #SCHEDULES} slots at once, contending for the
 * schedules' rows. While both are in a firing transaction, replica a is killed with SIGKILL; b
 * carries on alone, and is killed in turn inside a firing transaction, so that for a while no
 * replica fires and what is left of the minute waits. Both start again and fire the rest; then
 * the next minute fires with both up. Afterwards, from the store: each schedule has exactly one
 * job for each of the two slots (one {@code schedule.fired} event, one slot record, one job),
 * nothing was missed or skipped, and no other job exists.
 *
 * <p>The packaged service runs on the real clock and cron has minutes, so the test waits for
 * minute boundaries: up to a minute for the first (its schedules start at the first boundary at
 * least {@link #TO_CREATE} away), and the second. The restart must be done within the minute of
 * the first slot: handled later, a slot is a misfire, and with the next slot due too, run-once
 * fires only that one. The jobs wait in a paused queue, so that the firings are the only
 * transactions of note, and a replica's firing is seen in PostgreSQL: the row lock its
 * transaction takes on {@code schedules}, on a connection named after it.
 */
@Tag("services")
class ScheduleReplicasIT {

    /** Enough that one replica takes seconds for a minute's slots, so the kills land in the firing. */
    static final int SCHEDULES = 150;
    static final String TEMPLATE = "every-minute";
    static final String QUEUE = "held";
    /** Time for creating the schedules before their first slot. */
    static final Duration TO_CREATE = Duration.ofSeconds(15);

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    @Test
    void everySlotOfTwoMinutesFiresOnceThroughTheKillOfBothReplicas() throws Exception {
        long began = System.nanoTime();
        Path base = Files.createDirectories(Path.of("target/schedule-replicas/" + System.currentTimeMillis())
                .toAbsolutePath());
        String schema = PostgresStoreProfile.newSchemaName("charon_sched_");
        boolean passed = false;
        try (Connection db = DriverManager.getConnection(PostgresStoreProfile.URL + "?currentSchema=" + schema,
                PostgresStoreProfile.USER, "")) {
            update(db, "CREATE SCHEMA " + schema);
            ServiceProcess a = replica(base, schema, "a");
            ServiceProcess b = replica(base, schema, "b");
            try {
                a.start(); // alone: it migrates the schema
                b.start();
                a.request().contentType("application/json").body(Map.of("paused", true)).put("/api/v1/queues/" + QUEUE)
                        .then().statusCode(200);
                Map<String, Object> template = Api.job(TEMPLATE, "hello.yml");
                template.put("queue", QUEUE);
                a.request().contentType("application/json").body(template).post("/api/v1/templates").then()
                        .statusCode(201);

                Instant first = Instant.now().plus(TO_CREATE).truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
                Instant second = first.plus(Duration.ofMinutes(1));
                long creating = System.nanoTime();
                createSchedules(List.of(a, b), first);
                double createSeconds = (System.nanoTime() - creating) / 1e9;
                assertThat(Instant.now()).as("the schedules are all stored before their first slot").isBefore(first);

                // ---- the first minute: both fire; kill a inside a firing, then b --------------------
                await().atMost(Duration.between(Instant.now(), first).plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !Instant.now().isBefore(first.minusMillis(500)));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> notAllFired(db, first) && firing(db, "a") && firing(db, "b"));
                a.kill();
                // PostgreSQL sees the connections close and rolls the firing back
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> connections(db, "a") == 0);
                long firedAtFirstKill = fired(db, first);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5))
                        .until(() -> notAllFired(db, first) && fired(db, first) > firedAtFirstKill && firing(db, "b"));
                b.kill();
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                        .until(() -> connections(db, "b") == 0);
                long firedAtSecondKill = fired(db, first);
                assertThat(firedAtSecondKill).as("slots of the first minute fired before the restart").isLessThan(SCHEDULES);

                long restarting = System.nanoTime();
                ServiceProcess.startTogether(List.of(a, b));
                double restartSeconds = (System.nanoTime() - restarting) / 1e9;
                await("the rest of the first minute's slots, fired after the restart within that minute")
                        .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                        .until(() -> fired(db, first) == SCHEDULES);

                // ---- the second minute, both up: both fire -------------------------------------------
                await().atMost(Duration.between(Instant.now(), second).plusSeconds(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> !Instant.now().isBefore(second.minusMillis(500)));
                boolean[] bothSeenFiring = {false};
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5)).until(() -> {
                    bothSeenFiring[0] |= firing(db, "a") && firing(db, "b");
                    return fired(db, second) == SCHEDULES;
                });
                double secondSeconds = Duration.between(second, Instant.now()).toMillis() / 1000.0;
                assertThat(bothSeenFiring[0]).as("both replicas seen in a firing at once in the second minute").isTrue();

                // ---- from the store: one job per schedule and slot ------------------------------------
                Set<String> jobs = new HashSet<>();
                query(db, "SELECT id FROM jobs", row -> jobs.add(row.getString(1)));
                assertThat(jobs).as("jobs").hasSize(2 * SCHEDULES);
                Map<String, List<String>> firedJobs = new HashMap<>();
                query(db, "SELECT job_id, data FROM job_events WHERE type = 'schedule.fired'", row -> {
                    JsonNode data = readJson(row.getString(2));
                    assertThat(data.get("jobId").asText()).isEqualTo(row.getString(1));
                    firedJobs.computeIfAbsent(data.get("schedule").asText() + " " + data.get("slot").asText(),
                            slot -> new ArrayList<>()).add(row.getString(1));
                });
                Set<String> expected = new HashSet<>();
                for (int i = 0; i < SCHEDULES; i++) {
                    expected.add(name(i) + " " + first);
                    expected.add(name(i) + " " + second);
                }
                assertThat(firedJobs.keySet()).as("schedule and slot of each schedule.fired event")
                        .containsExactlyInAnyOrderElementsOf(expected);
                assertThat(firedJobs).as("schedule.fired events of a slot")
                        .allSatisfy((slot, ids) -> assertThat(ids).as(slot).hasSize(1));
                assertThat(firedJobs.values().stream().map(ids -> ids.get(0)).toList()).as("the jobs fired")
                        .containsExactlyInAnyOrderElementsOf(jobs);
                Map<String, String> slotJobs = new HashMap<>();
                query(db, "SELECT schedule, slot, outcome, job_id FROM schedule_slots", row -> {
                    assertThat(row.getString(3)).isEqualTo("fired");
                    slotJobs.put(row.getString(1) + " " + row.getTimestamp(2).toInstant(), row.getString(4));
                });
                assertThat(slotJobs).as("slots recorded").hasSize(2 * SCHEDULES)
                        .allSatisfy((slot, job) -> assertThat(firedJobs.get(slot)).as(slot).containsExactly(job));
                assertThat(count(db, "SELECT COUNT(*) FROM idempotency_keys WHERE key LIKE 'schedule:%'"))
                        .as("idempotency keys of slots").isEqualTo(2L * SCHEDULES);
                assertThat(count(db, "SELECT COUNT(*) FROM schedules WHERE missed_count = 0"
                        + " AND last_skipped_slot IS NULL AND last_fired_slot = TIMESTAMPTZ '" + second + "'"))
                        .as("schedules that missed and skipped nothing and fired the second minute last")
                        .isEqualTo(SCHEDULES);

                System.out.printf("schedule-replicas: %d schedules at * * * * * (created in %.1f s), slots %s and %s;"
                                + " a killed with %d of the first slots fired, b with %d, both started again in %.1f s;"
                                + " the second minute fired in %.1f s; 2 x %d jobs, each slot once; %.0f s in all%n",
                        SCHEDULES, createSeconds, first, second, firedAtFirstKill, firedAtSecondKill, restartSeconds,
                        secondSeconds, SCHEDULES, (System.nanoTime() - began) / 1e9);
                a.stop();
                b.stop();
                passed = true;
            } finally {
                a.close();
                b.close();
                if (passed) {
                    // a failed run keeps its schema for examination
                    update(db, "DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    /** A replica on the schema whose store connections carry its name, as {@link #firing} looks for it. */
    private static ServiceProcess replica(Path base, String schema, String name) {
        Map<String, String> settings = new HashMap<>(PostgresStoreProfile.packaged(schema));
        settings.put("quarkus.datasource.postgresql.jdbc.url", PostgresStoreProfile.URL + "?currentSchema=" + schema
                + "&ApplicationName=" + connectionName(name));
        return new ServiceProcess(base.resolve("replica-" + name), settings, Map.of("HOSTNAME", "replica-" + name));
    }

    private static String connectionName(String replica) {
        return "charon-replica-" + replica;
    }

    private static String name(int i) {
        return "minutely-" + i;
    }

    /** The schedules, posted from several threads to both replicas; each one's first slot is {@code first}. */
    private void createSchedules(List<ServiceProcess> replicas, Instant first) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> posts = new ArrayList<>();
            for (int i = 0; i < SCHEDULES; i++) {
                ServiceProcess replica = replicas.get(i % replicas.size());
                String body = json.writeValueAsString(Map.of("name", name(i), "template", TEMPLATE,
                        "cron", "* * * * *", "startAt", first.toString(),
                        // every slot fires although the jobs before it wait
                        "overlap", "queue"));
                posts.add(threads.submit(() -> {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder()
                            .uri(URI.create("http://127.0.0.1:" + replica.port() + "/api/v1/schedules"))
                            .timeout(Duration.ofSeconds(30))
                            .header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
                    assertThat(readJson(response.body()).get("nextRuns").get(0).asText()).isEqualTo(first.toString());
                    return null;
                }));
            }
            for (Future<?> post : posts) {
                post.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** How many schedules have handled {@code slot}. */
    private static long fired(Connection db, Instant slot) throws SQLException {
        return count(db, "SELECT COUNT(*) FROM schedule_slots WHERE slot = TIMESTAMPTZ '" + slot + "'");
    }

    /** Whether some slots of {@code slot} are left to fire; fails when none is: too late to kill a replica inside the firing. */
    private static boolean notAllFired(Connection db, Instant slot) throws SQLException {
        assertThat(fired(db, slot)).as("slots of %s fired: all, before a replica could be killed inside the firing;"
                + " more schedules would make the firing longer", slot).isLessThan(SCHEDULES);
        return true;
    }

    /**
     * Whether the replica is in a firing transaction: one that has locked (or waits for) a
     * schedule's row, which takes a row-share lock on the table.
     */
    private static boolean firing(Connection db, String replica) throws SQLException {
        return ofReplica(db, replica, "SELECT COUNT(*) FROM pg_locks l JOIN pg_stat_activity s ON s.pid = l.pid"
                + " WHERE s.application_name = ? AND l.locktype = 'relation' AND l.relation = 'schedules'::regclass"
                + " AND l.mode = 'RowShareLock'") > 0;
    }

    /** The replica's connections to PostgreSQL. */
    private static long connections(Connection db, String replica) throws SQLException {
        return ofReplica(db, replica, "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ?");
    }

    /** The number {@code sql} selects with the replica's connection name as its parameter. */
    private static long ofReplica(Connection db, String replica, String sql) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, connectionName(replica));
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private JsonNode readJson(String text) {
        try {
            return json.readTree(text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
