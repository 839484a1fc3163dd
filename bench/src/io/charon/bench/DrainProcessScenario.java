package io.charon.bench;

/** Scenario 2, drain-process: each job runs the lean fake ansible-playbook as a real process. */
final class DrainProcessScenario extends DrainScenario {

    static final Figure THROUGHPUT = Figure.atLeast("drain throughput (fake process)", "jobs/s", 0, 1000);

    @Override
    String name() {
        return "drain-process";
    }

    @Override
    String summary() {
        return "queued jobs drained by W workers, each running the lean fake ansible-playbook process";
    }

    @Override
    Figure throughput() {
        return THROUGHPUT;
    }

    @Override
    void configureRunner(ServiceUnderTest.Builder service) {
        service.fakeAnsible(null);
    }
}
