package io.charon.bench;

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
    void configureRunner(ServiceUnderTest.Builder service) {
        service.set("charon.jobs.runner", "noop");
    }
}
