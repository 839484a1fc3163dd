package io.charon.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * Scenario 4, dispatch-latency: an idle service (W workers) receives {@code --rate} jobs/s for
 * {@code --dispatch-seconds}; each job's latency runs from its commit (the target's measure,
 * as the issue puts it) and from sending its POST to its fake ansible-playbook process
 * recording its start ({@link DispatchProbe}). First
 * {@code --dispatch-warmup} jobs at {@value #WARMUP_RATE}/s, unmeasured, so the JIT has compiled
 * the submission and dispatch paths as in a service that has been up for a while: at 10 jobs/s
 * the measured jobs alone would keep them interpreted.
 */
final class DispatchLatencyScenario extends Scenario {

    static final int WARMUP_RATE = 200;

    static final Figure P50 = Figure.atMost("commit -> process start p50", "ms", 2, 5);
    static final Figure P99 = Figure.atMost("commit -> process start p99", "ms", 2, 25);
    static final Figure SENT_P50 = Figure.info("POST sent -> process start p50", "ms", 2);
    static final Figure SENT_P99 = Figure.info("POST sent -> process start p99", "ms", 2);
    static final Figure RECEIVED_P50 = Figure.info("201 received -> process start p50", "ms", 2);
    static final Figure RECEIVED_P99 = Figure.info("201 received -> process start p99", "ms", 2);
    static final Figure POST_P50 = Figure.info("POST latency p50", "ms", 2);
    static final Figure RATE = Figure.info("achieved rate", "jobs/s", 1);

    @Override
    String name() {
        return "dispatch-latency";
    }

    @Override
    String summary() {
        return "idle service, jobs at a steady rate: commit (and POST) -> fake process start";
    }

    @Override
    Map<String, String> settings(Options options) {
        return options.texts("rate", "dispatch-seconds", "dispatch-warmup", "workers", "run-dirs", "fake");
    }

    @Override
    RunFigures runOnce(RunContext run) {
        Options options = run.options();
        int workers = options.integer("workers");
        Path record = run.directory("record").resolve("starts.txt");
        ServiceUnderTest service = run.start(run.service("service").workers(workers, workers).fakeAnsible(record));

        DispatchProbe.measure(service, record, WARMUP_RATE, options.integer("dispatch-warmup"), "warmup-");
        double rate = options.decimal("rate");
        int count = (int) Math.round(rate * options.decimal("dispatch-seconds"));
        DispatchProbe.Latencies latencies = DispatchProbe.measure(service, record, rate, count, "probe-");
        Bench.note(count + " jobs measured");
        return new RunFigures()
                .put(P50, latencies.fromCommit().percentileMillis(50))
                .put(P99, latencies.fromCommit().percentileMillis(99))
                .put(SENT_P50, latencies.fromSend().percentileMillis(50))
                .put(SENT_P99, latencies.fromSend().percentileMillis(99))
                .put(RECEIVED_P50, latencies.fromReceived().percentileMillis(50))
                .put(RECEIVED_P99, latencies.fromReceived().percentileMillis(99))
                .put(POST_P50, latencies.post().percentileMillis(50))
                .put(RATE, latencies.achievedRate())
                .note("process start = the fake's first clock read: the compiled fake's first act (freestanding: its"
                        + " first instructions), the script's `date +%s%N` about a millisecond after the exec;"
                        + " commit = the job's createdAt, taken in its transaction before the flush and the"
                        + " commit, in whole milliseconds (the figure errs long); all clocks are this machine's"
                        + " real-time clock");
    }
}
