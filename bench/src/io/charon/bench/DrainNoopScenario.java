package io.charon.bench;

import java.util.Map;

/**
 * Scenario 3, drain-noop: the service's noop runner ends every run at once without a process,
 * so this is the ceiling of the queue machinery itself (claim, start, finish transactions).
 */
final class DrainNoopScenario extends DrainScenario {

    static final Figure THROUGHPUT = Figure.atLeast("drain throughput (noop runner)", "jobs/s", 0, 5000);

    @Override
    String name() {
        return "drain-noop";
    }

    @Override
    String summary() {
        return "queued jobs drained by W workers with charon.jobs.runner=noop (no process)";
    }

    @Override
    Figure throughput() {
        return THROUGHPUT;
    }

    @Override
    Map<String, String> settings(Options options) {
        Map<String, String> settings = super.settings(options);
        // no process runs, so the service is never given the fake (run-dirs still sets its work directory)
        settings.remove("fake");
        return settings;
    }

    @Override
    void configureRunner(ServiceUnderTest.Builder service) {
        service.set("charon.jobs.runner", "noop");
    }
}
