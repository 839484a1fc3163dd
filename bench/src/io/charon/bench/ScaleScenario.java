package io.charon.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * Scenario 6, scale: the same operations against a small and a large store (default 1,000 and
 * 1,000,000 stored jobs, seeded by {@link StoreSeeder}), and the ratio large / small, which
 * should stay ≤ 1.5: nothing a client or the dispatcher does should slow down with history.
 * <ul>
 * <li>claim: dispatch latency (POST sent → fake process start, p50) of fresh jobs, which is
 * mostly the claim query and its transaction;</li>
 * <li>a filtered page: {@code GET /api/v1/jobs?status=completed&limit=50}, and by tag
 * {@code GET /api/v1/jobs?tag=nightly&limit=50} (the tag is on about a tenth of the jobs);</li>
 * <li>one job: {@code GET /api/v1/jobs/{id}} of stored jobs spread over the whole history;</li>
 * <li>{@code GET /api/v1/stats?createdAfter=<24 h ago>} if the service has that endpoint: with
 * the large store it must answer within 200 ms (about 34,000 jobs a day at a million jobs in
 * 29.5 days).</li>
 * </ul>
 * Each figure is the median of {@code --probes} sequential requests (claims at 10/s) after
 * {@code --scale-warmup} unmeasured ones of the same kind (claims at 200/s; a few for the
 * statistics): measured on a cold JIT, the ratios swung between runs by more than the 1.5 they
 * are held to. The seeded store is checked through the API ({@link SeedCheck}) before measuring.
 */
final class ScaleScenario extends Scenario {

    /** Statistics of a day's jobs must answer within this with the large store. */
    private static final double STATS_TARGET_MS = 200;

    private final SeededStores stores;

    ScaleScenario(SeededStores stores) {
        this.stores = stores;
    }

    @Override
    String name() {
        return "scale";
    }

    @Override
    String onlyStore() {
        return StoreLocation.SQLITE;
    }

    @Override
    String whyOnlyStore() {
        return "its stores of up to a million jobs are seeded by writing SQLite files directly";
    }

    @Override
    String summary() {
        return "claim, filtered listing, one job and stats with a small and a large store: large/small <= 1.5";
    }

    @Override
    Map<String, String> settings(Options options) {
        return options.texts("sizes", "probes", "scale-warmup", "workers", "run-dirs", "fake");
    }

    /** What is measured per store, in ms. */
    private enum Operation {
        CLAIM("claim (POST -> process start p50)"),
        LIST_STATUS("GET ?status=completed&limit=50"),
        LIST_TAG("GET ?tag=" + StoreSeeder.PROBE_TAG + "&limit=50"),
        READ("GET /jobs/{id}"),
        STATS("GET /stats?createdAfter=24h ago");

        final String label;

        Operation(String label) {
            this.label = label;
        }
    }

    @Override
    RunFigures runOnce(RunContext run) throws Exception {
        List<Integer> sizes = run.options().integers("sizes");
        if (sizes.size() != 2) {
            throw new IllegalArgumentException("--sizes takes two store sizes, small and large: " + sizes);
        }
        RunFigures figures = new RunFigures();
        List<Map<Operation, Double>> measured = new ArrayList<>();
        for (int size : sizes) {
            Map<Operation, Double> values = measure(run, size, figures);
            measured.add(values);
            boolean large = size == sizes.get(1);
            values.forEach((op, ms) -> figures.put(op == Operation.STATS && large
                    ? Figure.atMost(op.label + " at " + count(size), "ms", 2, STATS_TARGET_MS)
                    : Figure.info(op.label + " at " + count(size), "ms", 2), ms));
        }
        for (Operation op : Operation.values()) {
            Double small = measured.get(0).get(op);
            Double large = measured.get(1).get(op);
            if (small != null && large != null) {
                String label = op.label + " " + count(sizes.get(1)) + " / " + count(sizes.get(0));
                // a day of statistics covers a thousand times more jobs in the large store: its
                // target is the absolute one above, the ratio only explains it
                figures.put(op == Operation.STATS ? Figure.info(label, "x", 2) : Figure.atMost(label, "x", 2, 1.5),
                        large / small);
            }
        }
        return figures;
    }

    private Map<Operation, Double> measure(RunContext run, int size, RunFigures figures) throws Exception {
        StoreSeeder.Seeded seeded = stores.get(new StoreSeeder.Spec(size, 0));
        int workers = run.options().integer("workers");
        int probes = run.options().integer("probes");
        int warmup = run.options().integer("scale-warmup");
        Path record = run.directory("record-" + size).resolve("starts.txt");
        ServiceUnderTest.Builder builder = run.service("store-" + size).workers(workers, workers).fakeAnsible(record);
        stores.copyInto(seeded, builder.dataDir());
        ServiceUnderTest service = run.start(builder);
        ServiceClient client = service.client();
        SeedCheck.verify(client, seeded);

        Map<Operation, Double> values = new LinkedHashMap<>();
        // reads first: the claims' jobs, warm-up included, would otherwise be the newest completed
        // jobs every listing returns, and would add a thousand jobs to the small store
        values.put(Operation.LIST_STATUS,
                medianMillis(client, warmup, probes, i -> "/api/v1/jobs?status=completed&limit=50"));
        values.put(Operation.LIST_TAG,
                medianMillis(client, warmup, probes, i -> "/api/v1/jobs?tag=" + seeded.tag() + "&limit=50"));
        Random random = new Random(size);
        List<String> ids = seeded.probeIds();
        values.put(Operation.READ,
                medianMillis(client, warmup, probes, i -> "/api/v1/jobs/" + ids.get(random.nextInt(ids.size()))));
        String stats = "/api/v1/stats?createdAfter=" + Instant.now().minus(24, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        int status = client.get(stats).status();
        if (status == 200) {
            // a day's statistics at a million jobs take tens of milliseconds: a short warm-up
            values.put(Operation.STATS, medianMillis(client, Math.min(warmup, 20), probes, i -> stats));
        } else {
            figures.note("GET /api/v1/stats: not available (HTTP " + status + ")");
        }
        DispatchProbe.measure(service, record, DispatchLatencyScenario.WARMUP_RATE, warmup, "claim-warmup-");
        values.put(Operation.CLAIM,
                DispatchProbe.measure(service, record, 10, probes, "claim-").fromSend().percentileMillis(50));
        service.stop();
        return values;
    }

    /** Median of {@code probes} sequential GETs after {@code warmup} unmeasured ones, each insisting on 200. */
    private static double medianMillis(ServiceClient client, int warmup, int probes, IntFunction<String> url) {
        Samples samples = new Samples();
        for (int i = 0; i < warmup + probes; i++) {
            ServiceClient.Response response = ServiceClient.expect(client.get(url.apply(i)), 200);
            if (i >= warmup) {
                samples.add(response.nanos());
            }
        }
        return samples.medianMillis();
    }

    private static String count(int size) {
        return size >= 1_000_000 && size % 1_000_000 == 0 ? size / 1_000_000 + "M"
                : size >= 1000 && size % 1000 == 0 ? size / 1000 + "k" : String.format(Locale.ROOT, "%,d", size);
    }
}
