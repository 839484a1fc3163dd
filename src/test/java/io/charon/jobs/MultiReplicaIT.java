package io.charon.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.support.CompiledFake;
import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.ServiceProcess;
import io.charon.jobs.support.SseClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.charon.jobs.support.SchemaQueries.count;
import static io.charon.jobs.support.SchemaQueries.query;
import static io.charon.jobs.support.SchemaQueries.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three packaged service processes as replicas on one PostgreSQL schema, with the compiled fake
 * ansible-playbook ({@link CompiledFake}) recording every run: 1,000 jobs submitted round-robin
 * over the three, one replica killed with SIGKILL halfway through the drain while it has runs
 * under way, the other two left to finish. Afterwards, straight from the store and the fake's
 * record: every job completed exactly once, none stuck; only runs of the killed replica were run
 * again, each such job with an {@code orphaned} attempt owned by the dead replica followed by one
 * completed attempt; every recorded run is one of its job's attempts. Meanwhile two clients follow the
 * job.completed events on two survivors, one hanging up every few hundred messages and resuming
 * with Last-Event-ID: both get every job's once, in the same order. Prints submission and drain
 * throughput and the time the survivors took to rescue the dead replica's runs
 * ({@code multi-replica:} lines, also
 * in {@code target/multi-replica.txt}). Needs the machine's PostgreSQL, hence the tag; run alone
 * with {@code ./mvnw verify -Dit.test=MultiReplicaIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
 * -Dexcluded.test.groups=none}; {@code -Dmulti-replica.jobs=10000} makes the longer run whose figures
 * BENCHMARKS.md and docs/reliability.md report ({@code -Dmulti-replica.clients} sets the client threads).
 */
@Tag("services")
class MultiReplicaIT {

    /**
     * Enough for what is proven: about 40 runs for each of the 24 workers, so the replicas claim
     * against each other throughout, the kill at half-way finds runs under way on the victim and
     * hundreds of jobs still queued for the survivors, and the rescue happens while they drain.
     * More jobs only lengthen the drain (the figures printed are rates).
     */
    static final int JOBS = Integer.getInteger("multi-replica.jobs", 1_000);
    static final int REPLICAS = 3;
    static final int WORKERS = 8;
    /**
     * Submitting threads: each replica stores the submissions waiting at once in one transaction,
     * so throughput grows with them.
     */
    static final int CLIENT_THREADS = Integer.getInteger("multi-replica.clients", 48);
    /** Retries left for a rescued run (the requeue policy uses one per orphaned run). */
    static final int MAX_RETRIES = 3;
    /** Which replica dies. */
    static final int VICTIM = 1;
    static final Duration LEASE = Duration.ofSeconds(5);
    static final Path REPORT = Path.of("target/multi-replica.txt");
    /** One reader of the event log hangs up after this many messages and resumes where it was. */
    static final int RECONNECT_EVERY = 211;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void threeReplicasDrainTheirJobsThroughTheKillOfOne() throws Exception {
        // kept under target/ so that a failed run can be examined: the service logs and the run record
        Path base = Files.createDirectories(Path.of("target/multi-replica/" + System.currentTimeMillis()).toAbsolutePath());
        Path record = Files.createFile(base.resolve("runs.txt"));
        String schema = PostgresStoreProfile.newSchemaName("charon_multi_");
        boolean passed = false;
        // without PostgreSQL this fails here: the test never skips
        try (Connection db = DriverManager.getConnection(PostgresStoreProfile.URL + "?currentSchema=" + schema,
                PostgresStoreProfile.USER, "")) {
            // created here, once: each replica runs Flyway on it at start-up
            update(db, "CREATE SCHEMA " + schema);
            Map<String, String> settings = new HashMap<>(PostgresStoreProfile.packaged(schema));
            settings.putAll(Map.of(
                    "charon.ansible.command", CompiledFake.path().toString(),
                    "charon.jobs.worker-count", String.valueOf(WORKERS),
                    // cluster-wide: let every worker of every replica be busy
                    "charon.jobs.max-concurrent-jobs", String.valueOf(REPLICAS * WORKERS),
                    "charon.jobs.dispatch-interval", "500ms",
                    "charon.jobs.orphan-policy", "requeue",
                    "charon.jobs.lease-duration", LEASE.toString(),
                    "charon.jobs.lease-renew-interval", "1s",
                    "charon.jobs.rescue-interval", "1s"));
            List<ServiceProcess> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < REPLICAS; i++) {
                    replicas.add(new ServiceProcess(base.resolve("replica-" + i), settings, Map.of(
                            "CHARON_FAKE_RECORD", record.toString(),
                            "CHARON_FAKE_MAX_MS", "50",
                            // one host, three instance ids: the id is the host name plus a random part
                            // kept in each replica's own data directory; a name per replica reads better
                            "HOSTNAME", "replica-" + i)));
                }
                // the first alone, as it migrates the schema; then the other two at once, which find it done
                long startingAt = System.nanoTime();
                replicas.get(0).start();
                ServiceProcess.startTogether(replicas.subList(1, REPLICAS));
                double startSeconds = seconds(System.nanoTime() - startingAt);
                List<String> ids = replicas.stream().map(ServiceProcess::instanceId).toList();
                assertThat(ids).as("instance ids").doesNotHaveDuplicates();
                ServiceProcess victim = replicas.get(VICTIM);
                String victimId = ids.get(VICTIM);

                // ---- two readers of the event log on two survivors, one of them reconnecting ------------
                CompletableFuture<List<String>> reconnecting = CompletableFuture.supplyAsync(
                        () -> completions(replicas.get(0), RECONNECT_EVERY));
                CompletableFuture<List<String>> steady = CompletableFuture.supplyAsync(
                        () -> completions(replicas.get(2), Integer.MAX_VALUE));

                // ---- submit, round-robin, from several client threads -------------------------------
                long firstSubmit = System.nanoTime();
                List<String> submitted = submitAll(replicas);
                long submittedAt = System.nanoTime();
                assertThat(submitted).hasSize(JOBS).doesNotHaveDuplicates();

                // ---- kill one replica halfway through the drain, with runs under way -----------------
                // bounded waits, generous for a 2-core machine: the drain runs at about 25 jobs/s there
                await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(100))
                        .until(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE status IN ('completed', 'failed',"
                                + " 'cancelled', 'timeout')") >= JOBS / 2);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                        .until(() -> runningOn(db, victimId) >= WORKERS / 2);
                long finalAtKill = count(db, "SELECT COUNT(*) FROM jobs WHERE status IN ('completed', 'failed',"
                        + " 'cancelled', 'timeout')");
                victim.kill();
                long killedAt = System.nanoTime();
                long orphanedByKill = runningOn(db, victimId);
                assertThat(orphanedByKill).as("runs the dead replica held").isPositive();
                assertThat(count(db, "SELECT COUNT(*) FROM jobs WHERE status = 'queued'"))
                        .as("work left for the survivors").isPositive();

                // the survivors' sweeps take over once the leases run out
                await().atMost(LEASE.multipliedBy(6)).pollInterval(Duration.ofMillis(20))
                        .until(() -> runningOn(db, victimId) == 0);
                long rescuedAt = System.nanoTime();
                await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(100))
                        .until(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE status IN ('scheduled', 'queued', 'running')") == 0);
                long drainedAt = System.nanoTime();
                // and a survivor's API says the same
                ServiceProcess survivor = replicas.get((VICTIM + 1) % REPLICAS);
                assertThat(survivor.request().queryParam("status", "scheduled", "queued", "running")
                        .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items")).isEmpty();

                // ---- every job completed exactly once ------------------------------------------------
                Map<String, String> statuses = new HashMap<>();
                query(db, "SELECT id, status FROM jobs", row -> statuses.put(row.getString(1), row.getString(2)));
                assertThat(statuses.keySet()).as("the store holds exactly the submitted jobs")
                        .containsExactlyInAnyOrderElementsOf(submitted);
                Map<String, Long> byStatus = statuses.values().stream()
                        .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()));
                assertThat(byStatus).as("statuses").containsExactly(Map.entry("completed", (long) JOBS));
                Map<String, Long> completions = new HashMap<>();
                query(db, "SELECT job_id, COUNT(*) FROM job_events WHERE type = 'job.completed' GROUP BY job_id",
                        row -> completions.put(row.getString(1), row.getLong(2)));
                assertThat(completions.keySet()).containsExactlyInAnyOrderElementsOf(submitted);
                assertThat(completions).as("job.completed events per job").allSatisfy((job, n) -> assertThat(n).isOne());

                // ---- the event log read through two replicas while all three wrote: no hole, no repeat, one order
                List<String> readReconnecting = reconnecting.get(2, TimeUnit.MINUTES);
                List<String> readSteady = steady.get(2, TimeUnit.MINUTES);
                assertThat(readSteady).as("job.completed events followed on replica-2")
                        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(submitted);
                assertThat(readReconnecting).as("the same, followed on replica-0 with a reconnect every %d",
                        RECONNECT_EVERY).isEqualTo(readSteady);

                // ---- attempts: only the dead replica's runs were orphaned and ran again ---------------
                Map<String, List<Attempt>> attempts = new HashMap<>();
                query(db, "SELECT job_id, number, owner, outcome FROM job_attempts ORDER BY job_id, number",
                        row -> attempts.computeIfAbsent(row.getString(1), k -> new ArrayList<>())
                                .add(new Attempt(row.getLong(2), row.getString(3), row.getString(4))));
                Set<String> rescued = new HashSet<>();
                int attemptsTotal = 0;
                for (String job : submitted) {
                    List<Attempt> runs = attempts.getOrDefault(job, List.of());
                    attemptsTotal += runs.size();
                    assertThat(runs).as("job %s: one completed attempt", job)
                            .filteredOn(a -> a.outcome().equals("completed")).hasSize(1);
                    assertThat(runs.get(runs.size() - 1).outcome()).as("job %s: its last attempt", job).isEqualTo("completed");
                    for (Attempt earlier : runs.subList(0, runs.size() - 1)) {
                        assertThat(earlier.outcome()).as("job %s attempt %d", job, earlier.number()).isEqualTo("orphaned");
                        assertThat(earlier.owner()).as("job %s: orphaned attempt %d was the dead replica's", job,
                                earlier.number()).isEqualTo(victimId);
                        rescued.add(job);
                    }
                }
                assertThat(rescued).as("jobs rescued from the dead replica").isNotEmpty();

                // ---- the record: nothing ran twice but the rescued jobs, every run is an attempt ------
                Map<String, Integer> startsByRun = new HashMap<>();
                Map<String, Integer> startsByJob = new HashMap<>();
                for (String line : Files.readAllLines(record)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3 && parts[0].equals("start")) {
                        startsByRun.merge(parts[1], 1, Integer::sum);
                        startsByJob.merge(parts[1].substring(0, parts[1].lastIndexOf('-')), 1, Integer::sum);
                    }
                }
                assertThat(startsByRun).as("no run (job and claim token) started twice")
                        .allSatisfy((run, n) -> assertThat(n).as(run).isOne());
                Set<String> startedTwice = startsByJob.entrySet().stream().filter(e -> e.getValue() > 1)
                        .map(Map.Entry::getKey).collect(Collectors.toSet());
                assertThat(rescued).as("only rescued jobs started more than once").containsAll(startedTwice);
                Set<String> attemptRuns = new HashSet<>();
                Set<String> completedRuns = new HashSet<>();
                Set<String> deadReplicaRuns = new HashSet<>();
                attempts.forEach((job, runs) -> runs.forEach(a -> {
                    attemptRuns.add(job + "-" + a.number());
                    if (a.outcome().equals("completed")) {
                        completedRuns.add(job + "-" + a.number());
                    } else {
                        deadReplicaRuns.add(job + "-" + a.number());
                    }
                }));
                assertThat(attemptRuns).as("every recorded run is one of its job's attempts")
                        .containsAll(startsByRun.keySet());
                assertThat(startsByRun.keySet()).as("every completed attempt ran the binary").containsAll(completedRuns);
                long caughtInFlight = deadReplicaRuns.stream().filter(startsByRun::containsKey).count();
                assertThat(caughtInFlight).as("the kill caught runs whose process had started").isPositive();

                // ---- the survivors logged no error --------------------------------------------------
                for (int i = 0; i < REPLICAS; i++) {
                    if (i != VICTIM) {
                        assertThat(errorLines(replicas.get(i).logFile())).as("errors in %s", replicas.get(i).logFile())
                                .isEmpty();
                    }
                }

                double submitSeconds = seconds(submittedAt - firstSubmit);
                double drainSeconds = seconds(drainedAt - firstSubmit);
                List<String> report = List.of(
                        String.format("multi-replica: %d replicas on PostgreSQL (one schema), %d workers each,"
                                        + " max-concurrent-jobs %d, lease %s, compiled fake runs 0-50 ms, %d cores,"
                                        + " JVMs with C1 only and the serial collector (ServiceProcess)",
                                REPLICAS, WORKERS, REPLICAS * WORKERS, LEASE, Runtime.getRuntime().availableProcessors()),
                        String.format("multi-replica: start-up    %.1f s for the three, the first alone, then two at once", startSeconds),
                        String.format("multi-replica: submission  %d jobs in %.1f s = %.0f jobs/s (%d client threads, round-robin)",
                                JOBS, submitSeconds, JOBS / submitSeconds, CLIENT_THREADS),
                        String.format("multi-replica: drain       %d jobs final in %.1f s from the first submit = %.0f jobs/s",
                                JOBS, drainSeconds, JOBS / drainSeconds),
                        String.format("multi-replica: kill        replica-%d (SIGKILL) after %d jobs were final,"
                                        + " holding %d runs (%d of them with a started process)",
                                VICTIM, finalAtKill, orphanedByKill, caughtInFlight),
                        String.format("multi-replica: rescue      %.1f s from the kill until none of its runs was running (lease %d s)",
                                seconds(rescuedAt - killedAt), LEASE.toSeconds()),
                        String.format("multi-replica: outcome     %d completed, %d attempts, %d jobs rescued, %d run twice"
                                        + " by the record, %d runs recorded",
                                byStatus.getOrDefault("completed", 0L), attemptsTotal, rescued.size(), startedTwice.size(),
                                startsByRun.size()));
                report.forEach(System.out::println);
                Files.writeString(REPORT, String.join("\n", report) + "\n", StandardCharsets.UTF_8);

                for (int i = 0; i < REPLICAS; i++) {
                    if (i != VICTIM) {
                        replicas.get(i).stop();
                    }
                }
                passed = true;
            } finally {
                for (ServiceProcess replica : replicas) {
                    replica.close();
                }
                if (passed) {
                    // a failed run keeps its schema for examination
                    update(db, "DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }

    private record Attempt(long number, String owner, String outcome) {
    }

    /**
     * The jobs of the job.completed events a replica streams, in the order it sends them, until
     * {@link #JOBS} have come; the client hangs up every {@code reconnectEvery} messages and
     * resumes with {@code Last-Event-ID}.
     */
    private List<String> completions(ServiceProcess replica, int reconnectEvery) {
        List<String> jobs = new ArrayList<>();
        String last = "0";
        while (jobs.size() < JOBS) {
            try (SseClient client = SseClient.resumeAt(replica.port(), ServiceProcess.ADMIN_TOKEN,
                    "/api/v1/events?type=job.completed&tag=multi-replica", last)) {
                for (int i = 0; i < reconnectEvery && jobs.size() < JOBS; i++) {
                    SseClient.Message message = client.next(Duration.ofMinutes(5));
                    jobs.add(readJobId(message.data()));
                    last = message.id();
                }
            }
        }
        return jobs;
    }

    private String readJobId(String data) {
        try {
            return json.readTree(data).get("jobId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Submits {@link #JOBS} jobs, the n-th to replica n mod 3, from several threads; returns their ids. */
    private List<String> submitAll(List<ServiceProcess> replicas) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        AtomicInteger next = new AtomicInteger();
        Map<Integer, String> ids = new ConcurrentHashMap<>();
        ExecutorService threads = Executors.newFixedThreadPool(CLIENT_THREADS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < CLIENT_THREADS; t++) {
                clients.add(threads.submit(() -> {
                    for (int n = next.getAndIncrement(); n < JOBS; n = next.getAndIncrement()) {
                        ServiceProcess replica = replicas.get(n % REPLICAS);
                        String body = json.writeValueAsString(Map.of("name", "multi-" + n, "playbook", "hello.yml",
                                "inventory", List.of("localhost"), "tags", List.of("multi-replica"),
                                "maxRetries", MAX_RETRIES));
                        HttpResponse<String> response = client.send(HttpRequest.newBuilder()
                                        .uri(URI.create("http://127.0.0.1:" + replica.port() + "/api/v1/jobs"))
                                        .timeout(Duration.ofSeconds(30))
                                        .header("Authorization", "Bearer " + ServiceProcess.ADMIN_TOKEN)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        assertThat(response.statusCode()).as("submission %d: %s", n, response.body()).isEqualTo(201);
                        ids.put(n, json.readTree(response.body()).get("id").asText());
                    }
                    return null;
                }));
            }
            for (Future<?> c : clients) {
                c.get();
            }
        } finally {
            threads.shutdownNow();
        }
        return new ArrayList<>(new TreeMap<>(ids).values());
    }

    private static long runningOn(Connection db, String owner) throws SQLException {
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT COUNT(*) FROM jobs WHERE status = 'running' AND lease_owner = ?")) {
            statement.setString(1, owner);
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    /** Lines of a service log at ERROR level, and stack traces. */
    private static List<String> errorLines(Path log) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.filter(line -> line.contains(" ERROR ") || line.startsWith("Caused by:")
                    || line.matches("^[\\w.$]+(Exception|Error)(: .*)?$")).limit(50).toList();
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
