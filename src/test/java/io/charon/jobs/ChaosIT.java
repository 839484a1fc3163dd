package io.charon.jobs;

import io.charon.jobs.support.Api;
import io.charon.jobs.support.ServiceProcess;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged service with a fake ansible-playbook that records every run, killed with SIGKILL
 * at random moments while it works through 500 jobs. Afterwards: every job final, none lost,
 * no run started after its job completed, every run accounted for by an attempt, and every
 * orphaned run settled by the policy. Documented in docs/reliability.md; run alone with
 * {@code ./mvnw verify -Dit.test=ChaosIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ChaosIT {

    static final int ROUNDS = 5;
    static final int JOBS_PER_ROUND = 100;
    static final Path FAKE_ANSIBLE = Path.of("src/test/resources/fake-ansible/ansible-playbook").toAbsolutePath();

    @Test
    void everyJobEndsExactlyOnceThroughRepeatedKills() throws Exception {
        // kept under target/ so that a failed run can be examined: the service log, the store, the run record
        Path dataDir = Files.createDirectories(Path.of("target/chaos/" + System.currentTimeMillis()).toAbsolutePath());
        Path record = dataDir.resolve("runs.txt");
        Files.createFile(record);
        Map<String, String> settings = Map.of(
                "charon.ansible.command", FAKE_ANSIBLE.toString(),
                "charon.jobs.worker-count", "8",
                "charon.jobs.dispatch-interval", "500ms",
                "charon.jobs.orphan-policy", "requeue");
        Random random = new Random();
        long seed = random.nextLong();
        random.setSeed(seed);
        List<String> submitted = new ArrayList<>();
        Instant began = Instant.now();

        try (ServiceProcess service = new ServiceProcess(dataDir.resolve("data"), settings,
                Map.of("CHARON_FAKE_RECORD", record.toString(), "CHARON_FAKE_MAX_MS", "400"))) {
            for (int round = 0; round < ROUNDS; round++) {
                service.start();
                long startsBefore = runStarts(record);
                System.out.printf("chaos: round %d, %d runs recorded so far%n", round, startsBefore);
                for (int i = 0; i < JOBS_PER_ROUND; i++) {
                    Map<String, Object> body = Api.job("chaos-" + round + "-" + i, "hello.yml");
                    body.put("tags", List.of("chaos"));
                    // half may run again after an orphaned run, half end failed by the policy
                    body.put("maxRetries", i % 2 == 0 ? 3 : 0);
                    submitted.add(service.submit(body));
                }
                // somewhere within this round's work: at least one run of it is then in flight
                long killAfter = startsBefore + 10 + random.nextInt(80);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                        .until(() -> runStarts(record) >= killAfter);
                service.kill();
            }
            service.start();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() -> service.request()
                    .queryParam("status", "scheduled", "queued", "running").queryParam("limit", 500)
                    .get("/api/v1/jobs").then().statusCode(200).extract().jsonPath().getList("items").isEmpty());

            Map<String, Long> runStarts = runStartTimes(record);
            int orphaned = 0;
            int orphanFailed = 0;
            int completed = 0;
            int attemptsTotal = 0;
            Set<String> accounted = new HashSet<>();
            for (String id : submitted) {
                Map<String, Object> job = service.jobFields(id);
                String status = (String) job.get("status");
                assertThat(status).as("job %s", id).isIn(Api.TERMINAL);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> attempts = (List<Map<String, Object>>) job.get("attempts");
                attemptsTotal += attempts.size();
                Instant completedAt = Instant.parse((String) job.get("completedAt"));
                for (int a = 0; a < attempts.size(); a++) {
                    Map<String, Object> attempt = attempts.get(a);
                    String run = id + "-" + attempt.get("number");
                    accounted.add(run);
                    if ("orphaned".equals(attempt.get("outcome"))) {
                        orphaned++;
                        boolean requeued = a < attempts.size() - 1;
                        boolean failedByPolicy = a == attempts.size() - 1 && "failed".equals(status)
                                && "orphaned: the service stopped while it ran".equals(job.get("errorMessage"));
                        assertThat(requeued || failedByPolicy).as("orphaned run %s settled by the policy", run).isTrue();
                        orphanFailed += failedByPolicy ? 1 : 0;
                    }
                }
                if ("completed".equals(status)) {
                    completed++;
                    assertThat(attempts).filteredOn(a -> "completed".equals(a.get("outcome"))).hasSize(1);
                }
                runStarts.entrySet().stream().filter(e -> e.getKey().startsWith(id + "-")).forEach(e ->
                        assertThat(Instant.ofEpochMilli(e.getValue())).as("run %s started before its job ended", e.getKey())
                                .isBeforeOrEqualTo(completedAt));
            }
            assertThat(submitted).hasSize(ROUNDS * JOBS_PER_ROUND).doesNotHaveDuplicates();
            assertThat(accounted).as("every recorded run is one of the jobs' attempts").containsAll(runStarts.keySet());
            assertThat(orphaned).as("the kills caught runs in flight").isPositive();

            System.out.printf("chaos: seed %d, %d jobs, %d kills, %d runs recorded, %d attempts, %d orphaned runs,"
                            + " %d failed by the policy, %d completed, %.1f s%n",
                    seed, submitted.size(), ROUNDS, runStarts.size(), attemptsTotal, orphaned,
                    orphanFailed, completed, Duration.between(began, Instant.now()).toMillis() / 1000.0);
        }
    }

    private static long runStarts(Path record) throws IOException {
        try (var lines = Files.lines(record)) {
            return lines.filter(line -> line.startsWith("start ")).count();
        }
    }

    /** Run id (job id and claim token) → when its fake process started, in epoch milliseconds. */
    private static Map<String, Long> runStartTimes(Path record) throws IOException {
        Map<String, Long> starts = new HashMap<>();
        for (String line : Files.readAllLines(record)) {
            String[] parts = line.split(" ");
            if (parts.length == 3 && parts[0].equals("start")) {
                starts.put(parts[1], Long.parseLong(parts[2]));
            }
        }
        return starts;
    }
}
