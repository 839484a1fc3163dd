package io.charon.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code [--smoke] <scenario|all> [--runs N] [--jobs N] ...}. Every size has a
 * full default and a smoke default; a value given on the command line wins over both, so
 * {@code --smoke --jobs 1000} is a quick run of a bigger drain.
 */
final class Options {

    /** name, full default, smoke default, meaning: also the help text. */
    private record Option(String name, String full, String smoke, String meaning) {
    }

    /** The compiled fake where bench/run could build it, the script otherwise. */
    private static final String DEFAULT_FAKE =
            Files.isExecutable(Layout.fromSystemProperties().compiledFake()) ? "compiled" : "script";

    private static final List<Option> KNOWN = List.of(
            new Option("store", "sqlite", "sqlite",
                    "where the services keep their jobs: sqlite (a file in each data directory) or postgresql (a fresh schema per service, or per set of replicas, on --pg-url)"),
            new Option("pg-url", "jdbc:postgresql://127.0.0.1:5432/test", "jdbc:postgresql://127.0.0.1:5432/test",
                    "--store postgresql: the database the schemas are made in"),
            new Option("pg-user", "postgres", "postgres", "--store postgresql: its user (no password: a trusted server)"),
            new Option("runs", "3", "1", "measured runs per scenario; the median, min and max are reported"),
            new Option("floor-samples", "2000", "100", "floors: durable commits and loopback POSTs measured (a quarter as many single process starts)"),
            new Option("clients", "32", "32", "submit, drain, replicas and host-locks fills: concurrent HTTP clients (keep-alive connections)"),
            new Option("warmup-seconds", "40", "1", "submit: warm-up before measuring (C2 needs ~30 s on 2 cores)"),
            new Option("submit-seconds", "15", "2", "submit: measured duration"),
            new Option("jobs", "100000", "300", "drain-process, drain-noop, replicas, host-locks: queued jobs to drain"),
            new Option("drain-warmup", "10000", "30", "drain-process, drain-noop, replicas, host-locks: jobs drained first, unmeasured (JIT warm-up)"),
            new Option("replicas", "1,2", "1,2", "replicas: how many service processes share the store, one drain per count"),
            new Option("runner", "noop", "noop", "replicas: what runs a job: noop (no process) or process (the fake ansible-playbook)"),
            new Option("workers", "32", "32", "drain, dispatch-latency, scale, memory: worker count and max-concurrent-jobs; replicas: worker count of each replica; host-locks: workers beside the holders"),
            new Option("hosts", "1000", "1000", "host-locks: hosts the jobs are spread over evenly, one host per job"),
            new Option("held-share", "0.2", "0.2", "host-locks: share of the hosts that running jobs hold, and so of the jobs that wait"),
            new Option("rate", "10", "10", "dispatch-latency: jobs per second"),
            new Option("dispatch-warmup", "5000", "5", "dispatch-latency: jobs at 200/s first, unmeasured (JIT warm-up)"),
            new Option("dispatch-seconds", "30", "3", "dispatch-latency: measured duration"),
            new Option("ansible-runs", "10", "1", "ansible-overhead: pairs of bare and service runs"),
            new Option("sizes", "1000,1000000", "1000,5000", "scale: stored jobs, small and large"),
            new Option("probes", "30", "5", "scale: requests per measured figure"),
            new Option("scale-warmup", "1000", "5",
                    "scale: unmeasured requests of each kind first (claims at 200/s), so the JIT has compiled their paths"),
            new Option("stored", "1000000", "5000", "memory: stored (finished) jobs"),
            new Option("queued", "100000", "500", "memory: queued jobs"),
            new Option("minutes", "10", "0.1", "memory: length of the steady run"),
            new Option("steady-rate", "500", "50", "memory: jobs per second in the steady run"),
            new Option("sample-seconds", "10", "2", "memory: resident-memory sampling interval"),
            new Option("subscribers", "10", "3", "sse-fanout: SSE subscribers on /api/v1/events"),
            new Option("sse-rate", "1000", "50", "sse-fanout: jobs per second submitted (noop runner)"),
            new Option("sse-seconds", "20", "2", "sse-fanout: duration of the load"),
            new Option("sse-warmup-seconds", "20", "1", "sse-fanout: the same load first, unmeasured (JIT warm-up)"),
            new Option("run-dirs", "memory", "memory",
                    "where the service makes its run directories: memory (/dev/shm, as docs/operations.md describes) or disk (the data directory, the service's default)"),
            new Option("fake", DEFAULT_FAKE, DEFAULT_FAKE,
                    "drain-process, dispatch-latency, scale, memory, replicas --runner process: the stand-in for ansible-playbook: compiled (bench/fake-ansible-playbook.c, built by bench/run with cc; the default where it could) or script (/bin/sh)"),
            // a smoke run's services live seconds: C1 alone starts them two to three times faster on
            // two cores, and C2 would not pay off before they stop
            new Option("jvm-opts", "-Xmx256m -XX:+UseSerialGC", "-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
                    "JVM options of the service process (all scenarios)"));

    private final boolean smoke;
    private final boolean keepData;
    private final boolean failOnMiss;
    private final List<String> scenarios;
    private final Map<String, String> given;

    private Options(boolean smoke, boolean keepData, boolean failOnMiss, List<String> scenarios, Map<String, String> given) {
        this.smoke = smoke;
        this.keepData = keepData;
        this.failOnMiss = failOnMiss;
        this.scenarios = scenarios;
        this.given = given;
    }

    static Options parse(String[] args) {
        boolean smoke = false;
        boolean keepData = false;
        boolean failOnMiss = false;
        List<String> scenarios = new ArrayList<>();
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--smoke" -> smoke = true;
                case "--keep-data" -> keepData = true;
                case "--fail-on-miss" -> failOnMiss = true;
                default -> {
                    if (arg.startsWith("--")) {
                        String name = arg.substring(2);
                        String value = null;
                        int eq = name.indexOf('=');
                        if (eq >= 0) {
                            value = name.substring(eq + 1);
                            name = name.substring(0, eq);
                        }
                        String key = name;
                        if (KNOWN.stream().noneMatch(o -> o.name().equals(key))) {
                            throw new IllegalArgumentException("unknown option --" + name + "\n" + usage());
                        }
                        if (value == null) {
                            if (i + 1 >= args.length) {
                                throw new IllegalArgumentException("--" + name + " needs a value");
                            }
                            value = args[++i];
                        }
                        given.put(name, value);
                    } else {
                        scenarios.add(arg);
                    }
                }
            }
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("name a scenario or all\n" + usage());
        }
        return new Options(smoke, keepData, failOnMiss, scenarios, given);
    }

    static String usage() {
        StringBuilder out = new StringBuilder("usage: bench/run [--no-build] [--smoke] [--keep-data] [--fail-on-miss]"
                + " <scenario|all>... [options]\noptions (full default / smoke default):\n");
        for (Option o : KNOWN) {
            out.append(String.format("  --%-16s %s (%s / %s)%n", o.name(), o.meaning(), o.full(), o.smoke()));
        }
        return out.toString();
    }

    boolean smoke() {
        return smoke;
    }

    boolean keepData() {
        return keepData;
    }

    boolean failOnMiss() {
        return failOnMiss;
    }

    List<String> scenarios() {
        return scenarios;
    }

    String text(String name) {
        if (given.containsKey(name)) {
            return given.get(name);
        }
        Option option = KNOWN.stream().filter(o -> o.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no option " + name));
        return smoke ? option.smoke() : option.full();
    }

    /** The named options with their values, in that order: a scenario's settings for the report. */
    Map<String, String> texts(String... names) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : names) {
            values.put(name, name.equals("fake") ? Layout.fromSystemProperties().describeFake(text(name)) : text(name));
        }
        return values;
    }

    int integer(String name) {
        return Integer.parseInt(text(name).replace("_", ""));
    }

    double decimal(String name) {
        return Double.parseDouble(text(name));
    }

    /** sqlite or postgresql. */
    String store() {
        String store = text("store");
        if (!store.equals(StoreLocation.SQLITE) && !store.equals(StoreLocation.POSTGRESQL)) {
            throw new IllegalArgumentException("--store is sqlite or postgresql, not " + store);
        }
        return store;
    }

    int runs() {
        return integer("runs");
    }

    List<Integer> integers(String name) {
        return Arrays.stream(text(name).split(",")).map(s -> Integer.parseInt(s.trim().replace("_", ""))).toList();
    }

    List<String> jvmOptions() {
        String text = text("jvm-opts").trim();
        return text.isEmpty() ? List.of() : List.of(text.split("\\s+"));
    }
}
