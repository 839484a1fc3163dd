package io.charon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * replicas: for each count N of {@code --replicas}, N service processes on one fresh PostgreSQL
 * schema (each with a data directory and port of its own, {@code --workers} workers each,
 * {@code max-concurrent-jobs} N × workers since that cap counts the runs of all replicas) drain a
 * backlog together. All start paused (worker-count 0); the first alone, as it migrates the schema,
 * the others at once. A warm-up of {@code --drain-warmup} jobs is drained first, unmeasured; then
 * {@code --jobs} are submitted spread over the replicas, and {@code PUT /api/v1/workers} resumes
 * all of them at once. The rate is measured as drain-noop and drain-process measure it: jobs /
 * (last completedAt − first startedAt) read back from every job. Every job must have completed,
 * and run exactly once: {@code retryCount} 0 in the listing, and in the store one attempt, one
 * {@code job.started} and one {@code job.completed} event per job.
 */
final class ReplicasScenario extends Scenario {

    static final String MEASURED = DrainScenario.MEASURED;
    static final long POLL_MILLIS = DrainScenario.POLL_MILLIS;

    @Override
    String name() {
        return "replicas";
    }

    @Override
    String onlyStore() {
        return StoreLocation.POSTGRESQL;
    }

    @Override
    String whyOnlyStore() {
        return "several service processes share one store only on PostgreSQL";
    }

    @Override
    String summary() {
        return "N service processes on one PostgreSQL schema drain a backlog together: jobs/s per N";
    }

    @Override
    Map<String, String> settings(Options options) {
        Map<String, String> settings = options.texts("replicas", "jobs", "drain-warmup", "workers", "clients", "runner",
                "run-dirs", "fake");
        if (!options.text("runner").equals("process")) {
            settings.remove("fake");
        }
        return settings;
    }

    static Figure throughput(int replicas) {
        return Figure.info("drain throughput, " + replicas + (replicas == 1 ? " replica" : " replicas"), "jobs/s", 0);
    }

    static Figure clientView(int replicas) {
        return Figure.info("  seen by the client, " + replicas + (replicas == 1 ? " replica" : " replicas"), "jobs/s", 0);
    }

    static Figure fill(int replicas) {
        return Figure.info("  fill rate (paused submissions), " + replicas + (replicas == 1 ? " replica" : " replicas"), "jobs/s", 0);
    }

    static Figure scaling(int replicas, int base) {
        return Figure.info("  throughput " + replicas + " / " + base + (base == 1 ? " replica" : " replicas"), "", 2);
    }

    @Override
    RunFigures runOnce(RunContext run) {
        Options options = run.options();
        String runner = options.text("runner");
        if (!runner.equals("noop") && !runner.equals("process")) {
            throw new ScenarioFailure("--runner is noop or process, not " + runner);
        }
        List<Integer> counts = options.integers("replicas");
        if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 1)) {
            throw new ScenarioFailure("--replicas lists counts of at least 1, e.g. 1,2,3");
        }
        RunFigures figures = new RunFigures();
        Double base = null;
        for (int replicas : counts) {
            double rate = drain(run, replicas, figures);
            if (base == null) {
                base = rate;
            } else {
                figures.put(scaling(replicas, counts.get(0)), rate / base);
            }
        }
        return figures.note("drain throughput = jobs / (last completedAt - first startedAt) over all replicas, as the"
                + " service recorded them; the client view = jobs / (PUT workers on all -> all idle, polled every "
                + POLL_MILLIS + " ms); every replica has --workers workers, max-concurrent-jobs = replicas x workers");
    }

    /** One drain by {@code replicas} fresh services on a fresh schema; adds its figures, returns its rate. */
    private static double drain(RunContext run, int replicas, RunFigures figures) {
        Options options = run.options();
        int jobs = options.integer("jobs");
        int workers = options.integer("workers");
        StoreLocation store = run.freshSchema();
        Bench.note(String.format("%d replica(s) on schema %s", replicas, PostgresServer.schemaOf(store)));
        List<ServiceUnderTest.Builder> builders = new ArrayList<>();
        for (int i = 1; i <= replicas; i++) {
            ServiceUnderTest.Builder builder = run.service("n" + replicas + "-replica" + i, store)
                    .workers(0, replicas * workers);
            if (options.text("runner").equals("noop")) {
                builder.set("charon.jobs.runner", "noop");
            } else {
                builder.fakeAnsible(null);
            }
            builders.add(builder);
        }
        // the first alone: it migrates the schema, which the others then find done
        List<ServiceUnderTest> services = new ArrayList<>();
        services.add(run.start(builders.get(0)));
        services.addAll(run.startTogether(builders.subList(1, replicas)));
        try {
            int warmup = options.integer("drain-warmup");
            if (warmup > 0) {
                fillAcross(services, options.integer("clients"), warmup, "warmup-");
                resizeAll(services, workers);
                awaitAllIdle(services);
                resizeAll(services, 0);
                Bench.note(String.format("warm-up: %d replica(s) drained %,d jobs, paused again", replicas, warmup));
            }
            double fillRate = fillAcross(services, options.integer("clients"), jobs, MEASURED);
            ServiceClient first = services.get(0).client();
            long queued = first.workers().queueSize();
            if (queued != jobs) {
                throw new ScenarioFailure("submitted " + jobs + " jobs to paused replicas but " + queued + " are queued");
            }
            Bench.note(String.format("queued %,d jobs at %.0f jobs/s; resuming %d workers on each of %d replica(s)",
                    jobs, fillRate, workers, replicas));

            long resumed = System.nanoTime();
            resizeAll(services, workers);
            awaitAllIdle(services);
            double clientSeconds = (System.nanoTime() - resumed) / 1e9;

            DrainedJobs drained = DrainedJobs.read(first, MEASURED).requireAllCompleted(first, jobs);
            if (drained.retried() != 0) {
                throw new ScenarioFailure(drained.retried() + " jobs show a retryCount above 0: they ran more than once");
            }
            RunsOnRecord runs = RunsOnRecord.read(store, MEASURED).requireEachRunOnce(jobs);
            double rate = jobs / drained.seconds();
            Bench.note(String.format(Locale.ROOT, "%d replica(s) drained %,d jobs: %.2f s from the first start to the last"
                    + " completion, %.2f s seen by the client; each ran once; runs per replica: %s", replicas, jobs,
                    drained.seconds(), clientSeconds, runs.runsByOwner().values().stream().map(n -> String.format("%,d", n))
                            .collect(Collectors.joining(", "))));
            figures.put(throughput(replicas), rate)
                    .put(clientView(replicas), jobs / clientSeconds)
                    .put(fill(replicas), fillRate);
            return rate;
        } finally {
            // the next count starts on an idle machine; close() of the run finds them stopped
            services.forEach(ServiceUnderTest::stop);
        }
    }

    /**
     * {@code jobs} submissions named {@code prefix}..., spread evenly over the replicas, each with
     * its share of {@code clients} closed-loop clients, all at once; returns jobs/s over the whole fill.
     */
    private static double fillAcross(List<ServiceUnderTest> services, int clients, int jobs, String prefix) {
        int n = services.size();
        long began = System.nanoTime();
        List<CompletableFuture<LoadGenerator.Outcome>> fills = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ServiceUnderTest service = services.get(i);
            int share = jobs / n + (i < jobs % n ? 1 : 0);
            int shareClients = Math.max(1, clients / n + (i < clients % n ? 1 : 0));
            String names = prefix + (i + 1) + "-";
            fills.add(CompletableFuture.supplyAsync(() -> LoadGenerator.closedLoop(service.port(), shareClients, share,
                    Duration.ofHours(2), 201, index -> ServiceClient.rawSubmitRequest(names + index, null), null)
                    .requireNoErrors("filling the queue through the replica on port " + service.port()), ReplicasScenario::thread));
        }
        long ok = fills.stream().map(ReplicasScenario::join).mapToLong(LoadGenerator.Outcome::ok).sum();
        return ok / ((System.nanoTime() - began) / 1e9);
    }

    /** {@code PUT /api/v1/workers} on every replica at the same moment. */
    private static void resizeAll(List<ServiceUnderTest> services, int workers) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<ServiceClient.Workers>> puts = services.stream()
                .map(service -> CompletableFuture.supplyAsync(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return service.client().resize(workers);
                }, ReplicasScenario::thread)).toList();
        go.countDown();
        puts.forEach(ReplicasScenario::join);
    }

    /** Until the store's queue is empty and no replica runs a job (the queue size is the store's, the active jobs each replica's). */
    private static void awaitAllIdle(List<ServiceUnderTest> services) {
        for (ServiceUnderTest service : services) {
            service.assertAlive();
            service.client().awaitIdle(Duration.ofMinutes(2), POLL_MILLIS);
        }
    }

    /** A thread per task: the common pool has a single thread on two cores, and these must run at once. */
    private static void thread(Runnable task) {
        Thread thread = new Thread(task, "replicas");
        thread.setDaemon(true);
        thread.start();
    }

    /** The task's result, or its own failure (a {@link ScenarioFailure} is reported as such). */
    private static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure : e;
        }
    }
}
