package io.charon.bench;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Scenarios 2 and 3, drain: {@code --jobs} jobs are submitted to a paused service
 * (worker-count 0), then {@code PUT /api/v1/workers {"workerCount": W}} (the service started
 * with max-concurrent-jobs W) lets it work through them. The subclasses differ only in what runs
 * a job: the lean fake ansible-playbook process, or the service's noop runner.
 * <p>
 * Method: the rate is N / (last completedAt − first startedAt), both read back from the jobs
 * themselves (the service's clock, milliseconds), i.e. the span during which the service was
 * turning queued jobs into completed ones; it leaves out how quickly the bench notices the end.
 * The client-side view, N / (time from the PUT to the first poll of {@code GET /api/v1/workers}
 * showing queueSize 0 and activeJobs 0, polled every 100 ms) is printed beside it as a cross-check.
 * Every job must end completed, or the run fails. Before the fill, {@code --drain-warmup} jobs
 * are drained the same way and left out of the figures: on two cores the JIT compiler is still
 * busy for the first half minute, which made short drains vary by half.
 */
abstract class DrainScenario extends Scenario {

    static final Figure CLIENT_VIEW = Figure.info("throughput seen by the client", "jobs/s", 0);
    static final Figure FILL = Figure.info("fill rate (paused submissions)", "jobs/s", 0);
    static final Figure SERVICE_CPU = Figure.info("service CPU per job", "ms", 3);
    static final Figure COMPILER_CPU = Figure.info("  of which JIT compilers", "ms", 3);
    static final Figure POSTGRES_CPU = Figure.info("PostgreSQL server CPU per job", "ms", 3);
    static final long POLL_MILLIS = 100;
    /** Name prefix of the measured jobs (the warm-up's are "warmup-"). */
    static final String MEASURED = "drain-";

    /** The throughput figure, with this runner's target. */
    abstract Figure throughput();

    /** Sets up what runs a job. */
    abstract void configureRunner(ServiceUnderTest.Builder service);

    @Override
    Map<String, String> settings(Options options) {
        return options.texts("jobs", "drain-warmup", "workers", "clients", "run-dirs", "fake");
    }

    @Override
    RunFigures runOnce(RunContext run) {
        Options options = run.options();
        int jobs = options.integer("jobs");
        int workers = options.integer("workers");
        ServiceUnderTest.Builder builder = run.service("service").workers(0, workers);
        configureRunner(builder);
        ServiceUnderTest service = run.start(builder);
        ServiceClient client = service.client();

        int warmup = options.integer("drain-warmup");
        if (warmup > 0) {
            fill(service, options, warmup, "warmup-");
            client.resize(workers);
            client.awaitIdle(Duration.ofMinutes(2), POLL_MILLIS);
            client.resize(0);
            Bench.note(String.format("warm-up: drained %,d jobs, paused again", warmup));
        }
        LoadGenerator.Outcome fill = fill(service, options, jobs, MEASURED);
        long queued = client.workers().queueSize();
        if (queued != jobs) {
            throw new ScenarioFailure("submitted " + jobs + " jobs to a paused service but " + queued + " are queued");
        }
        Bench.note(String.format("queued %,d jobs at %.0f jobs/s; resuming %d workers", jobs, fill.perSecond(), workers));

        boolean postgres = StoreLocation.POSTGRESQL.equals(run.store());
        Optional<CpuTime> cpuBefore = CpuTime.read(service.pid(), postgres);
        long resumed = System.nanoTime();
        client.resize(workers);
        client.awaitIdle(Duration.ofMinutes(2), POLL_MILLIS);
        double clientSeconds = (System.nanoTime() - resumed) / 1e9;
        Optional<CpuTime> cpuAfter = CpuTime.read(service.pid(), postgres);

        // the service's own account of the drain: all completed, from the first start to the last end
        double serviceSeconds = DrainedJobs.read(client, MEASURED).requireAllCompleted(client, jobs).seconds();
        Bench.note(String.format("drained %,d jobs: %.2f s from the first start to the last completion, %.2f s seen by the client",
                jobs, serviceSeconds, clientSeconds));
        RunFigures figures = new RunFigures()
                .put(throughput(), jobs / serviceSeconds)
                .put(CLIENT_VIEW, jobs / clientSeconds)
                .put(FILL, fill.perSecond());
        putCpuPerJob(figures, cpuBefore, cpuAfter, jobs);
        return figures.note("drain throughput = jobs / (last completedAt - first startedAt) as the service recorded them;"
                        + " the client view = jobs / (PUT workers -> first idle poll, polled every " + POLL_MILLIS + " ms);"
                        + " CPU per job = CPU time over that same span / jobs, of the service process (its JIT compiler"
                        + " threads shown apart) and of the PostgreSQL server's processes when it runs on this machine");
    }

    /** CPU per job from the resume to the idle poll (Linux; left out where /proc cannot be read). */
    private static void putCpuPerJob(RunFigures figures, Optional<CpuTime> before, Optional<CpuTime> after, int jobs) {
        if (before.isEmpty() || after.isEmpty()) {
            return;
        }
        double perJob = 1000.0 / jobs;
        figures.put(SERVICE_CPU, (after.get().serviceSeconds() - before.get().serviceSeconds()) * perJob)
                .put(COMPILER_CPU, after.get().compilerSecondsSince(before.get()) * perJob);
        if (before.get().postgresSeconds().isPresent() && after.get().postgresSeconds().isPresent()) {
            figures.put(POSTGRES_CPU, (after.get().postgresSeconds().get() - before.get().postgresSeconds().get()) * perJob);
        }
    }

    static LoadGenerator.Outcome fill(ServiceUnderTest service, Options options, int jobs, String prefix) {
        return LoadGenerator.closedLoop(service.port(), options.integer("clients"), jobs, Duration.ofHours(2), 201,
                i -> ServiceClient.rawSubmitRequest(prefix + i, null), null).requireNoErrors("filling the queue");
    }
}
