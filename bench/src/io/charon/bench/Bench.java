package io.charon.bench;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Entry point of {@code bench/run}: runs the named scenarios (or all), each {@code --runs} times,
 * and prints for each the machine, the settings, every figure's median with min and max over the
 * runs, and the target with PASS or MISS. Ends with one {@code RESULT <scenario>: ...} line per
 * scenario (also what the smoke test looks for).
 * <p>
 * Exit code: 1 when a scenario failed (its mechanics broke), 2 when {@code --fail-on-miss} was
 * given and a target was missed, 0 otherwise. A smoke run (tiny sizes, one run) never judges
 * targets: at those sizes they mean nothing.
 */
public final class Bench {

    private static final long STARTED = System.nanoTime();

    enum Verdict { PASS, MISS, SMOKE_OK, NOT_AVAILABLE, FAILED }

    private Bench() {
    }

    public static void main(String[] args) {
        // this JVM starts processes as the service does (its AnsiblePlaybookRunner): the floors
        // scenario measures that launch, and the bare ansible-playbook runs pay the same for it
        if (System.getProperty(FloorsScenario.LAUNCH_MECHANISM) == null) {
            System.setProperty(FloorsScenario.LAUNCH_MECHANISM, "VFORK");
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        Layout layout = Layout.fromSystemProperties();
        SeededStores stores = new SeededStores(layout, options);
        List<Scenario> all = List.of(new FloorsScenario(), new SubmitScenario(), new DrainProcessScenario(), new DrainNoopScenario(),
                new DispatchLatencyScenario(), new AnsibleOverheadScenario(), new ScaleScenario(stores),
                new MemoryScenario(stores), new SseFanoutScenario(), new ReplicasScenario(), new HostLocksScenario());
        List<Scenario> selected;
        String store;
        try {
            store = options.store();
            selected = select(all, options.scenarios(), store);
            options.runs();
            options.jvmOptions();
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(64);
            return;
        }
        layout.check();
        RunContext.deleteRecursively(layout.logRoot());

        print("charon-jobs bench " + Instant.now() + (options.smoke() ? " SMOKE (tiny sizes, 1 run, targets not judged)" : "")
                + ", service revision " + System.getProperty("bench.revision", "unknown")
                + ", built " + System.getProperty("bench.built", "unknown") + ", store " + store);
        print("command: bench/run " + String.join(" ", args));
        PostgresServer postgres = null;
        String storeLine = "sqlite: a file " + StoreLocation.SQLITE_FILE + " in each service's fresh data directory"
                + " (WAL, synchronous=FULL)";
        if (store.equals(StoreLocation.POSTGRESQL)) {
            postgres = PostgresServer.of(options);
            try {
                storeLine = "postgresql: " + postgres.describe() + "; a fresh schema bench_<random> per service (per set"
                        + " of replicas)" + (options.keepData() ? ", kept (--keep-data)" : ", dropped after its run");
            } catch (ScenarioFailure e) {
                print("bench: " + e.getMessage());
                System.exit(1);
                return;
            }
        }
        print("store: " + storeLine);
        if (!options.smoke() && options.runs() < 3) {
            print("warning: fewer than 3 runs per scenario: min and max say little about the spread");
        }
        Map<String, String> results = new LinkedHashMap<>();
        Set<Verdict> verdicts = new LinkedHashSet<>();
        try {
            for (Scenario scenario : selected) {
                Outcome outcome = run(scenario, options, layout, postgres, storeLine);
                results.put(scenario.name(), outcome.line());
                verdicts.add(outcome.verdict());
            }
        } finally {
            stores.close();
        }
        print("");
        print("=== summary (" + String.format(Locale.ROOT, "%.0f s", elapsedSeconds()) + ", store " + store + ") ===");
        results.values().forEach(Bench::print);
        System.exit(verdicts.contains(Verdict.FAILED) ? 1
                : options.failOnMiss() && verdicts.contains(Verdict.MISS) ? 2 : 0);
    }

    /**
     * The scenarios named, in that order, or all. One named that cannot run on {@code store} is a
     * usage error; under {@code all} it is reported as not available.
     */
    private static List<Scenario> select(List<Scenario> all, List<String> names, String store) {
        if (names.contains("all")) {
            return all;
        }
        List<Scenario> selected = new ArrayList<>();
        for (String name : names) {
            Scenario scenario = all.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() ->
                    new IllegalArgumentException("unknown scenario " + name + "; known: all, "
                            + all.stream().map(Scenario::name).collect(Collectors.joining(", "))));
            String refusal = scenario.storeRefusal(store);
            if (refusal != null) {
                throw new IllegalArgumentException("usage: " + refusal + " (--store " + store + " given)");
            }
            selected.add(scenario);
        }
        return selected;
    }

    private record Outcome(Verdict verdict, String line) {
    }

    private static Outcome run(Scenario scenario, Options options, Layout layout, PostgresServer postgres, String storeLine) {
        String name = scenario.name();
        print("");
        print("=== " + name + ": " + scenario.summary() + " ===");
        print("machine: " + Machine.describe(layout.dataRoot()));
        print("store: " + (scenario.usesStore() ? storeLine : "none (no service is started)"));
        print("settings: runs=" + options.runs() + (scenario.usesStore() ? " store=" + options.store() : "")
                + settingsText(scenario.settings(options)));
        String unavailable = scenario.storeRefusal(options.store());
        if (unavailable == null) {
            unavailable = scenario.unavailable(options);
        }
        if (unavailable != null) {
            return result(name, Verdict.NOT_AVAILABLE, "not available: " + unavailable);
        }
        Set<String> services = RunContext.newSettingsRecord();
        List<RunFigures> runs = new ArrayList<>();
        try {
            for (int run = 1; run <= options.runs(); run++) {
                note("run " + run + " of " + options.runs());
                try (RunContext context = new RunContext(options, layout, name, run, services, postgres)) {
                    RunFigures figures = scenario.runOnce(context);
                    runs.add(figures);
                    print("run " + run + ": " + figures.oneLine());
                }
            }
        } catch (ScenarioFailure e) {
            services.forEach(s -> print("service: " + s));
            return result(name, Verdict.FAILED, "FAILED: " + e.getMessage());
        } catch (Exception | AssertionError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            print(trace.toString().stripTrailing());
            return result(name, Verdict.FAILED, "FAILED: " + e);
        }
        services.forEach(s -> print("service: " + s));
        runs.stream().flatMap(r -> r.notes().stream()).distinct().forEach(n -> print("note: " + n));
        return summarise(name, runs, options.smoke());
    }

    /** The table of figures over the runs, and the verdict. */
    private static Outcome summarise(String name, List<RunFigures> runs, boolean smoke) {
        Set<Figure> figures = new LinkedHashSet<>();
        runs.forEach(r -> figures.addAll(r.values().keySet()));
        print(String.format(Locale.ROOT, "%-44s %14s %14s %14s   %s", "figure (over " + runs.size() + " runs)",
                "median", "min", "max", "target"));
        List<String> judged = new ArrayList<>();
        boolean missed = false;
        for (Figure figure : figures) {
            double[] values = runs.stream().filter(r -> r.values().containsKey(figure))
                    .mapToDouble(r -> r.values().get(figure)).toArray();
            double median = Stats.median(values);
            String mark = "";
            if (figure.target() != null) {
                boolean met = figure.target().met(median);
                missed |= !met;
                mark = figure.describeTarget() + "  " + (met ? "PASS" : "MISS");
                judged.add(figure.label() + " " + figure.format(median) + " (" + figure.describeTarget() + ") "
                        + (met ? "PASS" : "MISS"));
            }
            print(String.format(Locale.ROOT, "%-44s %14s %14s %14s   %s", figure.label(), figure.format(median),
                    figure.format(Stats.min(values)), figure.format(Stats.max(values)), mark));
        }
        String detail = judged.isEmpty() ? "no targets, figures only" : String.join("; ", judged);
        if (smoke) {
            return result(name, Verdict.SMOKE_OK, "SMOKE OK (mechanics checked; targets not judged at smoke sizes: "
                    + detail + ")");
        }
        return result(name, missed ? Verdict.MISS : Verdict.PASS, (missed ? "MISS" : "PASS") + " — " + detail);
    }

    private static Outcome result(String name, Verdict verdict, String text) {
        String line = "RESULT " + name + ": " + text;
        print(line);
        return new Outcome(verdict, line);
    }

    private static String settingsText(Map<String, String> settings) {
        StringBuilder out = new StringBuilder();
        settings.forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
        return out.toString();
    }

    static synchronized void print(String line) {
        System.out.println(line);
        System.out.flush();
    }

    /** A progress line, stamped with the seconds since the bench started. */
    static void note(String line) {
        print(String.format(Locale.ROOT, "  [%6.1fs] %s", elapsedSeconds(), line));
    }

    private static double elapsedSeconds() {
        return (System.nanoTime() - STARTED) / 1e9;
    }
}
