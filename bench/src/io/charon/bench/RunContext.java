package io.charon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * One run of one scenario: hands out fresh data directories, stores and services, remembers how
 * the services were started (for the report), and afterwards stops them, collects the ERROR lines
 * they logged, and deletes their data (it can be gigabytes) and their PostgreSQL schemas unless
 * {@code --keep-data}.
 */
final class RunContext implements AutoCloseable {

    /** Linux's memory filesystem for everyone: where {@code --run-dirs memory} puts the run directories. */
    private static final Path MEMORY_FILESYSTEM = Path.of("/dev/shm");

    private final Options options;
    private final Layout layout;
    private final String scenario;
    private final int run;
    private final List<ServiceUnderTest> services = new ArrayList<>();
    private final List<Path> dataDirs = new ArrayList<>();
    private final Set<String> serviceSettings;
    /** The server of {@code --store postgresql}, null on SQLite. */
    private final PostgresServer postgres;
    private final List<StoreLocation> schemas = new ArrayList<>();

    RunContext(Options options, Layout layout, String scenario, int run, Set<String> serviceSettings, PostgresServer postgres) {
        this.options = options;
        this.postgres = postgres;
        this.layout = layout;
        this.scenario = scenario;
        this.run = run;
        this.serviceSettings = serviceSettings;
    }

    Options options() {
        return options;
    }

    Layout layout() {
        return layout;
    }

    /** Which run of the scenario this is: 1, 2, ... */
    int number() {
        return run;
    }

    boolean smoke() {
        return options.smoke();
    }

    /** {@code --store}: sqlite or postgresql. */
    String store() {
        return postgres == null ? StoreLocation.SQLITE : StoreLocation.POSTGRESQL;
    }

    /** A new, empty directory for this run, e.g. for the fake's record file. */
    Path directory(String label) {
        Path dir = layout.dataRoot().resolve(scenario).resolve("run" + run + "-" + label);
        deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dataDirs.add(dir);
        return dir;
    }

    /**
     * A service on a fresh data directory named {@code label} and a fresh store of its own (the
     * SQLite file in that directory, or a new PostgreSQL schema), with the scenario's JVM options
     * and its run directories where {@code --run-dirs} says.
     */
    ServiceUnderTest.Builder service(String label) {
        return service(label, null);
    }

    /**
     * A fresh PostgreSQL schema for one service or several that share it (replicas), dropped when
     * the run ends unless {@code --keep-data}.
     */
    synchronized StoreLocation freshSchema() {
        if (postgres == null) {
            throw new ScenarioFailure("a schema needs --store postgresql");
        }
        StoreLocation store = postgres.createSchema();
        schemas.add(store);
        return store;
    }

    /** As {@link #service(String)}, on {@code store} when it is not null (one made by {@link #freshSchema()}). */
    ServiceUnderTest.Builder service(String label, StoreLocation store) {
        Path dataDir = directory(label);
        Path log = layout.logRoot().resolve(scenario + "-run" + run + "-" + label + ".log");
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServiceUnderTest.Builder builder = ServiceUnderTest.builder(layout, dataDir, log, options.jvmOptions())
                .fakeAnsibleCommand(() -> layout.fakeAnsible(options.text("fake")));
        String runDirs = options.text("run-dirs");
        switch (runDirs) {
            case "disk" -> {
                // the service's default: <data dir>/work
            }
            case "memory" -> {
                Path runs = memoryFilesystem("--run-dirs memory (or use --run-dirs disk)").resolve("charon-bench").resolve(scenario + "-run" + run + "-" + label);
                deleteRecursively(runs);
                dataDirs.add(runs);
                builder.set("charon.ansible.work-dir", runs);
            }
            default -> throw new ScenarioFailure("--run-dirs is memory or disk, not " + runDirs);
        }
        if (store != null) {
            builder.store(store);
        } else if (postgres != null) {
            builder.store(freshSchema());
        } else {
            builder.store(StoreLocation.sqlite(dataDir));
        }
        return builder;
    }

    /** Starts the service and keeps it to be stopped when the run ends. */
    ServiceUnderTest start(ServiceUnderTest.Builder builder) {
        ServiceUnderTest service = builder.start();
        synchronized (this) {
            services.add(service);
            serviceSettings.add(service.commandLine() + settingsText(builder));
        }
        return service;
    }

    /** Starts the services at once, each in a thread of its own, and returns them in order once all are up. */
    List<ServiceUnderTest> startTogether(List<ServiceUnderTest.Builder> builders) {
        List<CompletableFuture<ServiceUnderTest>> starting = builders.stream()
                .map(builder -> CompletableFuture.supplyAsync(() -> start(builder), runnable -> {
                    Thread thread = new Thread(runnable, "service-start");
                    thread.setDaemon(true);
                    thread.start();
                })).toList();
        List<ServiceUnderTest> started = new ArrayList<>();
        for (CompletableFuture<ServiceUnderTest> service : starting) {
            try {
                started.add(service.join());
            } catch (CompletionException e) {
                // the others are still awaited, so that all of them are known to close()
                starting.forEach(s -> s.handle((ok, error) -> null).join());
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return started;
    }

    private static String settingsText(ServiceUnderTest.Builder builder) {
        StringBuilder out = new StringBuilder();
        builder.settings().forEach((key, value) -> out.append(" -D").append(key).append('=').append(value));
        return out.toString();
    }

    /** Stops what the run started (SIGTERM), reports ERROR lines from the service logs, removes data. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (ServiceUnderTest service : services) {
            try {
                service.stop();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            } finally {
                service.close();
            }
            List<String> errors = service.errorLines();
            if (!errors.isEmpty()) {
                Bench.note("warning: the service logged " + errors.size() + " ERROR lines in "
                        + layout.root().relativize(service.logFile()) + ", first: " + errors.get(0));
            }
        }
        if (!options.keepData()) {
            dataDirs.forEach(RunContext::deleteRecursively);
            for (StoreLocation schema : schemas) {
                try {
                    postgres.dropSchema(schema);
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
        } else if (!schemas.isEmpty()) {
            Bench.note("kept PostgreSQL schemas " + String.join(", ", schemas.stream().map(PostgresServer::schemaOf).toList()));
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The memory filesystem, which {@code user} needs: a failure of the scenario where there is none. */
    static Path memoryFilesystem(String user) {
        if (!Files.isDirectory(MEMORY_FILESYSTEM)) {
            throw new ScenarioFailure(user + " needs " + MEMORY_FILESYSTEM);
        }
        return MEMORY_FILESYSTEM;
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** Collects the distinct service command lines of a scenario's runs, in order. */
    static Set<String> newSettingsRecord() {
        return new LinkedHashSet<>();
    }
}
