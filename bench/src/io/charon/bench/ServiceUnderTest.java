package io.charon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The packaged service as a separate process, started as an operator starts it
 * ({@code java <jvm options> -Dkey=value... -jar quarkus-run.jar}) on a data directory of its own
 * and a free port, and stopped with SIGTERM. Everything it is given is printable through
 * {@link #commandLine()}, so a report says exactly what was measured.
 */
final class ServiceUnderTest implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

    private final Layout layout;
    private final Path dataDir;
    private final Path logFile;
    private final List<String> jvmOptions;
    private final Map<String, String> settings;
    private final Map<String, String> environment;
    private final StoreLocation store;
    private Process process;
    private int port;
    private ServiceClient client;

    private ServiceUnderTest(Builder builder) {
        this.layout = builder.layout;
        this.dataDir = builder.dataDir;
        this.logFile = builder.logFile;
        this.jvmOptions = List.copyOf(builder.jvmOptions);
        this.settings = new LinkedHashMap<>(builder.settings);
        this.environment = Map.copyOf(builder.environment);
        this.store = builder.store;
    }

    static Builder builder(Layout layout, Path dataDir, Path logFile, List<String> jvmOptions) {
        return new Builder(layout, dataDir, logFile, jvmOptions);
    }

    /** What to run; the defaults every scenario shares are set here and may be overridden. */
    static final class Builder {
        private final Layout layout;
        private final Path dataDir;
        private final Path logFile;
        private final List<String> jvmOptions;
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Supplier<Path> fakeAnsible;
        private StoreLocation store;

        private Builder(Layout layout, Path dataDir, Path logFile, List<String> jvmOptions) {
            this.layout = layout;
            this.dataDir = dataDir;
            this.logFile = logFile;
            this.jvmOptions = jvmOptions;
            settings.put("charon.jobs.data-dir", dataDir.toString());
            settings.put("charon.ansible.playbook-dir", layout.playbookDir().toString());
            // a bench stops the service when its work is done; nothing should wait long for stragglers
            settings.put("charon.jobs.shutdown-grace", "PT5S");
            // authentication on, as deployed: the clients' admin token, configured by its hash
            settings.put("charon.security.tokens.bench.sha256", ServiceClient.TOKEN_SHA256);
            settings.put("charon.security.tokens.bench.role", "admin");
        }

        Path dataDir() {
            return dataDir;
        }

        Builder set(String key, Object value) {
            settings.put(key, String.valueOf(value));
            return this;
        }

        /** Keeps the jobs in {@code location}: its settings are given to the service. */
        Builder store(StoreLocation location) {
            store = location;
            settings.putAll(location.settings());
            return this;
        }

        Builder env(String key, String value) {
            environment.put(key, value);
            return this;
        }

        /**
         * The fake ansible-playbook that {@link #fakeAnsible(Path)} runs, found only then: a
         * scenario that runs no process does not need it to exist.
         */
        Builder fakeAnsibleCommand(Supplier<Path> command) {
            fakeAnsible = command;
            return this;
        }

        /** Runs jobs with the lean fake ansible-playbook, optionally recording each process start. */
        Builder fakeAnsible(Path record) {
            set("charon.ansible.command", fakeAnsible.get().toString());
            if (record != null) {
                env(FakeAnsible.RECORD_ENV, record.toString());
            }
            return this;
        }

        Builder workers(int workerCount, int maxConcurrentJobs) {
            set("charon.jobs.worker-count", workerCount);
            return set("charon.jobs.max-concurrent-jobs", maxConcurrentJobs);
        }

        /**
         * The -D settings as given, for the report (the data directory, port and PostgreSQL schema are
         * per run: the schema is shown as a placeholder).
         */
        Map<String, String> settings() {
            Map<String, String> shown = new LinkedHashMap<>(settings);
            shown.remove("charon.jobs.data-dir");
            if (store != null) {
                shown.putAll(store.shownSettings());
            }
            return shown;
        }

        ServiceUnderTest start() {
            ServiceUnderTest service = new ServiceUnderTest(this);
            try {
                service.start();
            } catch (RuntimeException e) {
                // a service that did not come up in time may still run: it is not left behind
                service.close();
                throw e;
            }
            return service;
        }
    }

    private void start() {
        port = freePort();
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        command.add("-Dquarkus.http.port=" + port);
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", layout.jar().toString()));
        long began = System.nanoTime();
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(logFile.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        client = new ServiceClient(port);
        long deadline = began + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new ScenarioFailure("the service exited at start-up with code " + process.exitValue()
                        + "; see " + logFile + lastLines());
            }
            if (client.isUp()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                throw new ScenarioFailure("the service did not answer within " + START_TIMEOUT + "; see " + logFile);
            }
            Pause.millis(100);
        }
        Bench.note(String.format("service up on port %d in %.1f s (pid %d, log %s)", port,
                (System.nanoTime() - began) / 1e9, process.pid(), layout.root().relativize(logFile)));
    }

    /** The HTTP port, for clients other than {@link #client()}. */
    int port() {
        return port;
    }

    ServiceClient client() {
        return client;
    }

    long pid() {
        return process.pid();
    }

    Path dataDir() {
        return dataDir;
    }

    /** Where it keeps its jobs, for reading them back directly. */
    StoreLocation store() {
        return store;
    }

    Path logFile() {
        return logFile;
    }

    /** Resident memory in MB (VmRSS). */
    double residentMb() {
        long kb = Machine.residentKb(process.pid());
        if (kb < 0) {
            throw new ScenarioFailure("the service process is gone; see " + logFile);
        }
        return kb / 1024.0;
    }

    void assertAlive() {
        if (!process.isAlive()) {
            throw new ScenarioFailure("the service died (exit " + process.exitValue() + "); see " + logFile + lastLines());
        }
    }

    /** The java command line, without the per-run data directory and port. */
    String commandLine() {
        return "java " + String.join(" ", jvmOptions) + " -jar " + layout.root().relativize(layout.jar());
    }

    /** SIGTERM, then the graceful shutdown; SIGKILL if it hangs. */
    void stop() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                throw new ScenarioFailure("the service did not stop within 90 s of SIGTERM; see " + logFile);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ERROR lines the service logged: worth a look even when the scenario's mechanics held. */
    List<String> errorLines() {
        try (Stream<String> lines = Files.lines(logFile)) {
            return lines.filter(l -> l.contains(" ERROR ")).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String lastLines() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return "\n  | " + String.join("\n  | ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
