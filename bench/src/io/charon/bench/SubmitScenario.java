package io.charon.bench;

import java.time.Duration;
import java.util.Map;

/**
 * Scenario 1, submit: {@code --clients} concurrent clients (closed loop, one keep-alive
 * connection each) post jobs to a paused service (worker-count 0, so nothing runs and only the
 * submission path is measured: parse, validate, one durable transaction, 201). A warm-up lets the
 * JIT compile the path first; then the measured phase gives jobs/s and per-request latency.
 */
final class SubmitScenario extends Scenario {

    static final Figure RATE = Figure.atLeast("submissions", "jobs/s", 0, 5000);
    static final Figure P50 = Figure.info("POST latency p50", "ms", 2);
    static final Figure P99 = Figure.atMost("POST latency p99", "ms", 2, 50);
    static final Figure MAX = Figure.info("POST latency max", "ms", 1);

    @Override
    String name() {
        return "submit";
    }

    @Override
    String summary() {
        return "concurrent clients POST /api/v1/jobs to a paused service: jobs/s and latency";
    }

    @Override
    Map<String, String> settings(Options options) {
        return options.texts("clients", "warmup-seconds", "submit-seconds");
    }

    @Override
    RunFigures runOnce(RunContext run) {
        Options options = run.options();
        ServiceUnderTest service = run.start(run.service("service").workers(0, options.integer("workers")));
        ServiceClient client = service.client();
        int clients = options.integer("clients");

        LoadGenerator.Outcome warmup = LoadGenerator.closedLoop(service.port(), clients, Long.MAX_VALUE,
                Duration.ofSeconds(options.integer("warmup-seconds")), 201,
                i -> ServiceClient.rawSubmitRequest("warmup-" + i, null), null).requireNoErrors("warm-up");
        LoadGenerator.Outcome measured = LoadGenerator.closedLoop(service.port(), clients, Long.MAX_VALUE,
                Duration.ofSeconds(options.integer("submit-seconds")), 201,
                i -> ServiceClient.rawSubmitRequest("submit-" + i, null), null).requireNoErrors("submissions");

        // a 201 promises a stored job: the queue must hold exactly what was acknowledged
        long queued = client.workers().queueSize();
        if (queued != warmup.ok() + measured.ok()) {
            throw new ScenarioFailure(warmup.ok() + measured.ok() + " submissions were acknowledged but the queue holds "
                    + queued);
        }
        Bench.note(String.format("warm-up %d jobs, measured %d jobs in %.1f s", warmup.ok(), measured.ok(),
                measured.elapsedNanos() / 1e9));
        return new RunFigures()
                .put(RATE, measured.perSecond())
                .put(P50, measured.latencies().percentileMillis(50))
                .put(P99, measured.latencies().percentileMillis(99))
                .put(MAX, measured.latencies().percentileMillis(100));
    }
}
