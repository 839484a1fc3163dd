package io.charon.jobs;

import io.charon.jobs.support.PostgresStoreProfile;
import io.charon.jobs.support.ServiceProcess;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.charon.jobs.support.SchemaQueries.count;
import static io.charon.jobs.support.SchemaQueries.query;
import static io.charon.jobs.support.SchemaQueries.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Host locks across two packaged replicas on one PostgreSQL schema, with the fake
 * ansible-playbook recording when each run starts and ends: jobs on two of six hosts each,
 * most exclusive, some shared, submitted to both replicas; one replica killed with SIGKILL while
 * its runs hold locks. The locks it held are free again once its lease has run out, every job
 * completes, and by the record no run on a host ever overlapped an exclusive run on that host.
 */
@Tag("services")
class HostLocksReplicaIT {

    static final int JOBS = 240;
    static final int HOSTS = 6;
    static final int WORKERS = 6;
    static final Duration LEASE = Duration.ofSeconds(5);
    /** The longest a fake run sleeps: a run of the killed replica is gone by then (it dies writing to its dead pipe). */
    static final int RUN_MAX_MS = 150;
    static final Path FAKE_ANSIBLE = Path.of("src/test/resources/fake-ansible/ansible-playbook").toAbsolutePath();

    private record Run(String job, long start, long end) {
    }

    @Test
    void locksHoldAcrossReplicasAndDieWithTheLeaseOfAKilledOne() throws Exception {
        Path base = Files.createDirectories(Path.of("target/host-locks-replicas/" + System.currentTimeMillis())
                .toAbsolutePath());
        Path record = Files.createFile(base.resolve("runs.txt"));
        String schema = PostgresStoreProfile.newSchemaName("charon_locks_");
        boolean passed = false;
        try (Connection db = DriverManager.getConnection(PostgresStoreProfile.URL + "?currentSchema=" + schema,
                PostgresStoreProfile.USER, "")) {
            update(db, "CREATE SCHEMA " + schema);
            Map<String, String> settings = new HashMap<>(PostgresStoreProfile.packaged(schema));
            settings.putAll(Map.of(
                    "charon.ansible.command", FAKE_ANSIBLE.toString(),
                    // no workers until every job is queued: the drain, and the wait for the kill below,
                    // then begin together, however slowly the jobs were posted one after another
                    "charon.jobs.worker-count", "0",
                    "charon.jobs.max-concurrent-jobs", String.valueOf(2 * WORKERS),
                    "charon.jobs.dispatch-interval", "500ms",
                    "charon.jobs.orphan-policy", "requeue",
                    "charon.jobs.lease-duration", LEASE.toString(),
                    "charon.jobs.lease-renew-interval", "1s",
                    "charon.jobs.rescue-interval", "1s"));
            List<ServiceProcess> replicas = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    replicas.add(new ServiceProcess(base.resolve("replica-" + i), settings, Map.of(
                            "CHARON_FAKE_RECORD", record.toString(),
                            "CHARON_FAKE_MAX_MS", String.valueOf(RUN_MAX_MS),
                            "HOSTNAME", "replica-" + i)));
                }
                replicas.get(0).start();
                replicas.get(1).start();
                ServiceProcess victim = replicas.get(1);
                String victimId = victim.instanceId();

                Random random = new Random(7);
                List<String> submitted = new ArrayList<>();
                for (int n = 0; n < JOBS; n++) {
                    int first = random.nextInt(HOSTS);
                    int second = (first + 1 + random.nextInt(HOSTS - 1)) % HOSTS;
                    Map<String, Object> body = new HashMap<>(Map.of("name", "locks-" + n, "playbook", "hello.yml",
                            "inventory", List.of("host-" + first, "host-" + second), "maxRetries", 3));
                    if (n % 5 == 0) {
                        body.put("hostLock", "shared");
                    }
                    submitted.add(replicas.get(n % 2).submit(body));
                }
                for (ServiceProcess replica : replicas) {
                    replica.request().contentType("application/json").body(Map.of("workerCount", WORKERS))
                            .put("/api/v1/workers").then().statusCode(200);
                }

                // ---- kill the replica while its runs hold locks ---------------------------------------
                await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(5))
                        .until(() -> count(db, "SELECT COUNT(*) FROM host_locks l JOIN jobs j ON j.id = l.job_id"
                                + " WHERE j.lease_owner = '" + victimId + "'") > 0
                                && count(db, "SELECT COUNT(*) FROM jobs WHERE status = 'completed'") >= JOBS / 10);
                victim.kill();
                long killedAt = System.nanoTime();
                Set<String> heldByVictim = new HashSet<>();
                query(db, "SELECT l.host FROM host_locks l JOIN jobs j ON j.id = l.job_id WHERE j.lease_owner = '"
                        + victimId + "' AND j.status = 'running'", row -> heldByVictim.add(row.getString(1)));
                // the lease runs out, the survivor's rescue takes the runs out of running, and their locks with them
                await().atMost(LEASE.multipliedBy(3)).pollInterval(Duration.ofMillis(20))
                        .until(() -> count(db, "SELECT COUNT(*) FROM host_locks l JOIN jobs j ON j.id = l.job_id"
                                + " WHERE j.lease_owner = '" + victimId + "'") == 0);
                double freedSeconds = (System.nanoTime() - killedAt) / 1e9;
                // not before the lease ran out: its runs might still be at work (renewed every second until the kill)
                assertThat(freedSeconds).as("seconds from the kill until its locks were free")
                        .isGreaterThanOrEqualTo(LEASE.minusSeconds(1).toMillis() / 1000.0 - 0.1);
                await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(100))
                        .until(() -> count(db, "SELECT COUNT(*) FROM jobs WHERE status <> 'completed'") == 0);
                assertThat(count(db, "SELECT COUNT(*) FROM jobs")).isEqualTo(JOBS);
                assertThat(count(db, "SELECT COUNT(*) FROM host_locks")).as("locks left behind").isZero();
                assertThat(count(db, "SELECT COUNT(*) FROM job_attempts WHERE outcome = 'orphaned'"))
                        .as("runs the kill orphaned").isPositive();

                // ---- by the record: no run overlapped an exclusive run on one of its hosts ------------
                Map<String, Long> starts = new HashMap<>();
                Map<String, Long> ends = new HashMap<>();
                for (String line : Files.readAllLines(record)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 3) {
                        (parts[0].equals("start") ? starts : ends).put(parts[1], Long.parseLong(parts[2]));
                    }
                }
                List<Run> runs = new ArrayList<>();
                starts.forEach((run, start) -> runs.add(new Run(run.substring(0, run.lastIndexOf('-')), start,
                        // a run of the killed replica may have died before it could write its end
                        ends.getOrDefault(run, start + RUN_MAX_MS))));
                Map<String, List<String>> hostsOf = new HashMap<>();
                Map<String, Boolean> exclusive = new HashMap<>();
                query(db, "SELECT job_id, host FROM job_hosts", row ->
                        hostsOf.computeIfAbsent(row.getString(1), job -> new ArrayList<>()).add(row.getString(2)));
                query(db, "SELECT id, host_lock FROM jobs", row -> exclusive.put(row.getString(1),
                        row.getString(2).equals("exclusive")));
                int pairs = 0;
                for (int i = 0; i < runs.size(); i++) {
                    for (int k = i + 1; k < runs.size(); k++) {
                        Run a = runs.get(i);
                        Run b = runs.get(k);
                        boolean shareAHost = hostsOf.get(a.job()).stream().anyMatch(hostsOf.get(b.job())::contains);
                        if (!shareAHost || a.job().equals(b.job()) || !(exclusive.get(a.job()) || exclusive.get(b.job()))) {
                            continue;
                        }
                        pairs++;
                        assertThat(a.end() <= b.start() || b.end() <= a.start())
                                .as("runs of %s and %s on a common host overlap: %s %s", a.job(), b.job(), a, b).isTrue();
                    }
                }
                System.out.printf("host-locks-replicas: %d jobs on %d hosts, %d runs, %d pairs on a common host checked,"
                        + " %d hosts held by the killed replica free %.1f s after the kill (lease %d s)%n",
                        JOBS, HOSTS, runs.size(), pairs, heldByVictim.size(), freedSeconds, LEASE.toSeconds());
                assertThat(pairs).isPositive();
                replicas.get(0).stop();
                passed = true;
            } finally {
                for (ServiceProcess replica : replicas) {
                    replica.close();
                }
                if (passed) {
                    update(db, "DROP SCHEMA " + schema + " CASCADE");
                }
            }
        }
    }
}
