package io.charon.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measures how long a job takes from its submission to its process's start on an idle service:
 * jobs are posted at a fixed rate (open loop), the fake ansible-playbook records when each
 * process started, and the clocks are the same machine's real-time clock. Three views: from
 * the moment the POST was sent (what a client waits, the JDK HTTP client's own hops included);
 * from the job's commit, stood in for by its {@code createdAt}, which the service takes inside
 * the transaction before the flush and the commit and truncates to the millisecond (so this
 * view errs long, by the commit's duration and up to a millisecond; only jobs created within
 * the same millisecond get later times, a millisecond apart, which 10 jobs/s never are); and
 * from the moment its
 * 201 arrived (it can be negative when the process starts before the answer is read). Used by
 * dispatch-latency and by scale (the cost of claiming with a big store).
 */
final class DispatchProbe {

    /** Latencies in nanoseconds, one sample per job. */
    record Latencies(Samples fromSend, Samples fromCommit, Samples fromReceived, Samples post, double achievedRate) {
    }

    private DispatchProbe() {
    }

    /**
     * Posts {@code count} jobs at {@code perSecond}, waits for every process start in
     * {@code record}, then for every job to end completed.
     */
    static Latencies measure(ServiceUnderTest service, Path record, double perSecond, int count, String namePrefix) {
        ServiceClient client = service.client();
        Map<String, long[]> submitted = new ConcurrentHashMap<>();
        LoadGenerator.Outcome outcome = LoadGenerator.openLoop(client.http(), perSecond, count, Duration.ofHours(1), 64, 201,
                i -> client.submitRequest(namePrefix + i, null),
                call -> {
                    Map<String, Object> job = Json.object(call.body());
                    Instant created = Instant.parse((String) job.get("createdAt"));
                    long createdEpochNanos = created.getEpochSecond() * 1_000_000_000L + created.getNano();
                    submitted.put((String) job.get("id"),
                            new long[]{call.sentEpochNanos(), createdEpochNanos, call.receivedEpochNanos()});
                })
                .requireNoErrors("submissions");

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Long> starts;
        List<String> missing;
        do {
            starts = FakeAnsible.starts(record);
            Map<String, Long> seen = starts;
            missing = submitted.keySet().stream().filter(id -> !seen.containsKey(FakeAnsible.firstRun(id))).toList();
            if (missing.isEmpty()) {
                break;
            }
            service.assertAlive();
            Pause.millis(20);
        } while (System.nanoTime() < deadline);
        if (!missing.isEmpty()) {
            throw new ScenarioFailure(missing.size() + " of " + count + " jobs never started a process within 60 s,"
                    + " e.g. " + client.job(missing.get(0)));
        }

        client.awaitIdle(Duration.ofSeconds(60), 50);
        List<String> notCompleted = new ArrayList<>();
        for (String id : submitted.keySet()) {
            Object status = client.job(id).get("status");
            if (!"completed".equals(status)) {
                notCompleted.add(id + " " + status);
            }
        }
        if (!notCompleted.isEmpty()) {
            throw new ScenarioFailure(notCompleted.size() + " jobs did not complete, e.g. " + notCompleted.get(0));
        }

        Samples fromSend = new Samples();
        Samples fromCommit = new Samples();
        Samples fromReceived = new Samples();
        for (Map.Entry<String, long[]> job : submitted.entrySet()) {
            long started = starts.get(FakeAnsible.firstRun(job.getKey()));
            fromSend.add(started - job.getValue()[0]);
            fromCommit.add(started - job.getValue()[1]);
            fromReceived.add(started - job.getValue()[2]);
        }
        return new Latencies(fromSend, fromCommit, fromReceived, outcome.latencies(),
                outcome.ok() / (outcome.elapsedNanos() / 1e9));
    }
}
