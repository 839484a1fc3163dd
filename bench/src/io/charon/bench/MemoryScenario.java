package io.charon.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Scenario 7, memory: resident memory (VmRSS of the service's java process) under the JVM
 * options of {@code --jvm-opts}.
 * <ol>
 * <li>Loaded: a store of {@code --stored} finished and {@code --queued} queued jobs, service
 * paused (worker-count 0), after a round of reads and listings.</li>
 * <li>Steady: the pool resumes (W workers, lean fake process), and jobs arrive at
 * {@code --steady-rate} for {@code --minutes}, at priority high so they go before the backlog,
 * which drains in the spare capacity: a busy service with a backlog and live traffic. RSS is
 * sampled every {@code --sample-seconds}; the slope (least squares, MB per minute) over the
 * second half of the samples says whether memory keeps growing once warmed up.</li>
 * </ol>
 */
final class MemoryScenario extends Scenario {

    static final Figure LOADED = Figure.atMost("RSS, store loaded, paused", "MB", 0, 512);
    static final Figure FIRST = Figure.info("RSS steady run: first sample", "MB", 0);
    static final Figure MAX = Figure.atMost("RSS steady run: max", "MB", 0, 512);
    static final Figure LAST = Figure.info("RSS steady run: last sample", "MB", 0);
    static final Figure SLOPE = Figure.info("RSS slope, second half of the run", "MB/min", 2);
    static final Figure SLOPE_ALL = Figure.info("RSS slope, whole run", "MB/min", 2);
    static final Figure RATE = Figure.info("steady submissions achieved", "jobs/s", 0);
    static final Figure QUEUE_END = Figure.info("queued at the end (backlog left)", "jobs", 0);

    private final SeededStores stores;

    MemoryScenario(SeededStores stores) {
        this.stores = stores;
    }

    @Override
    String name() {
        return "memory";
    }

    @Override
    String onlyStore() {
        return StoreLocation.SQLITE;
    }

    @Override
    String whyOnlyStore() {
        return "its store of a million jobs is seeded by writing a SQLite file directly";
    }

    @Override
    String summary() {
        return "resident memory with a big store and backlog, then during a steady run";
    }

    @Override
    Map<String, String> settings(Options options) {
        Map<String, String> settings = options.texts("stored", "queued", "minutes", "steady-rate", "sample-seconds",
                "workers", "run-dirs", "fake");
        settings.put("jvm-opts", "\"" + options.text("jvm-opts") + "\"");
        return settings;
    }

    /** One RSS sample: minutes since the steady run began, and MB. */
    private record Sample(double minutes, double mb) {
    }

    @Override
    RunFigures runOnce(RunContext run) throws Exception {
        Options options = run.options();
        int workers = options.integer("workers");
        StoreSeeder.Seeded seeded = stores.get(new StoreSeeder.Spec(options.integer("stored"), options.integer("queued")));
        ServiceUnderTest.Builder builder = run.service("service").workers(0, workers).fakeAnsible(null);
        stores.copyInto(seeded, builder.dataDir());
        ServiceUnderTest service = run.start(builder);
        ServiceClient client = service.client();

        // what an operator's dashboard does: read jobs, list pages, look at the queue
        SeedCheck.verify(client, seeded);
        for (int i = 0; i < 20; i++) {
            ServiceClient.expect(client.get("/api/v1/jobs?status=completed&limit=50"), 200);
            ServiceClient.expect(client.get("/api/v1/jobs?status=queued&limit=50"), 200);
            client.job(seeded.probeIds().get(i % seeded.probeIds().size()));
            client.workers();
        }
        double loaded = service.residentMb();
        Bench.note(String.format(Locale.ROOT, "loaded and paused: RSS %.0f MB, %,d queued", loaded,
                client.workers().queueSize()));

        double rate = options.decimal("steady-rate");
        double minutes = options.decimal("minutes");
        long count = Math.round(rate * minutes * 60);
        List<Sample> samples = new ArrayList<>();
        long began = System.nanoTime();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        AtomicReference<Throwable> samplerFailure = new AtomicReference<>();
        AtomicReference<String> firstId = new AtomicReference<>();
        AtomicReference<String> lastId = new AtomicReference<>();
        client.resize(workers);
        sampler.scheduleAtFixedRate(() -> {
            try {
                synchronized (samples) {
                    samples.add(new Sample((System.nanoTime() - began) / 60e9, service.residentMb()));
                }
            } catch (Throwable e) {
                samplerFailure.compareAndSet(null, e);
            }
        }, 0, options.integer("sample-seconds"), TimeUnit.SECONDS);
        LoadGenerator.Outcome steady;
        try {
            steady = LoadGenerator.openLoop(client.http(), rate, count, Duration.ofSeconds(Math.round(minutes * 60)),
                    256, 201, i -> client.submitRequest("steady-" + i, "high"), call -> {
                        String id = (String) Json.object(call.body()).get("id");
                        firstId.compareAndSet(null, id);
                        lastId.set(id);
                    })
                    .requireNoErrors("steady submissions");
        } finally {
            sampler.shutdownNow();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
        }
        if (samplerFailure.get() != null) {
            throw new ScenarioFailure("sampling resident memory failed: " + samplerFailure.get());
        }
        samples.add(new Sample((System.nanoTime() - began) / 60e9, service.residentMb()));

        // the live traffic goes first: its first job has long been done; the last one is reported
        Map<String, Object> first = client.waitFor(firstId.get(), Duration.ofMinutes(2));
        if (!"completed".equals(first.get("status"))) {
            throw new ScenarioFailure("the first steady job " + firstId.get() + " is " + first.get("status")
                    + " at the end of the run");
        }
        Object lastStatus = client.waitFor(lastId.get(), Duration.ofSeconds(30)).get("status");
        Bench.note("last steady job " + lastStatus + " 30 s after the run at the latest");
        long backlog = client.workers().queueSize();

        double[] x = samples.stream().mapToDouble(Sample::minutes).toArray();
        double[] y = samples.stream().mapToDouble(Sample::mb).toArray();
        int half = samples.size() / 2;
        double[] secondX = java.util.Arrays.copyOfRange(x, half, x.length);
        double[] secondY = java.util.Arrays.copyOfRange(y, half, y.length);
        StringBuilder series = new StringBuilder();
        for (Sample s : samples) {
            series.append(String.format(Locale.ROOT, " %.0f", s.mb()));
        }
        Bench.note("RSS MB every " + options.text("sample-seconds") + " s:" + series);
        return new RunFigures()
                .put(LOADED, loaded)
                .put(FIRST, y[0])
                .put(MAX, Stats.max(y))
                .put(LAST, y[y.length - 1])
                .put(SLOPE, Stats.slope(secondX, secondY))
                .put(SLOPE_ALL, Stats.slope(x, y))
                .put(RATE, steady.ok() / (steady.elapsedNanos() / 1e9))
                .put(QUEUE_END, backlog);
    }
}
