package io.charon.bench;

import com.sun.net.httpserver.HttpServer;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario floors: what this machine allows at all, without the service, so that each target
 * can be set against the cost it cannot avoid. Three things the service's paths are made of:
 * <ul>
 * <li>a durable commit: one row inserted into a SQLite file in WAL mode with
 * {@code synchronous=FULL} and an IMMEDIATE transaction, one commit after another (every 201
 * and every claim waits for at least one);</li>
 * <li>a process: {@code /bin/sh -c 'exit 0'} started and reaped, one at a time (its latency) and
 * from {@code --workers} threads at once (the machine's rate), with the JDK's VFORK launch as
 * the service uses it; at that rate also with the service's plumbing: a run directory of its
 * own with the files the service writes there, standard input from {@code /dev/null}, output
 * through a pipe read to its end, standard error appended to a file, all removed afterwards;
 * once with the run directories on the data disk, once in memory ({@code /dev/shm});</li>
 * <li>an HTTP exchange: a keep-alive POST on the loopback to the JDK's built-in server, which
 * answers 201 at once (what a request costs before the service does anything).</li>
 * </ul>
 */
final class FloorsScenario extends Scenario {

    static final Figure COMMIT_P50 = Figure.info("durable commit, one writer: p50", "ms", 2);
    static final Figure COMMIT_P99 = Figure.info("durable commit, one writer: p99", "ms", 2);
    static final Figure COMMITS = Figure.info("durable commits one after another", "commits/s", 0);
    static final Figure SPAWN_P50 = Figure.info("process start to exit, one at a time: p50", "ms", 2);
    static final Figure SPAWN_P99 = Figure.info("process start to exit, one at a time: p99", "ms", 2);
    static final Figure SPAWNS = Figure.info("processes started and reaped, W threads", "processes/s", 0);
    static final Figure PLUMBED_SPAWNS = Figure.info("the same, plumbed, run dirs on disk", "processes/s", 0);
    static final Figure PLUMBED_SPAWNS_IN_MEMORY = Figure.info("the same, plumbed, run dirs in memory",
            "processes/s", 0);
    static final Figure HTTP_P50 = Figure.info("loopback HTTP POST -> 201, keep-alive: p50", "ms", 2);
    static final Figure HTTP_P99 = Figure.info("loopback HTTP POST -> 201, keep-alive: p99", "ms", 2);

    /** Set by {@link Bench} before it starts any process, as the service sets it for its runs. */
    static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

    private static final List<String> SHELL = List.of("/bin/sh", "-c", "exit 0");
    /** The files the service writes into a run directory before it starts the process. */
    private static final List<String> RUN_FILES = List.of("inventory.ini", "vars.yml", "owner");

    @Override
    String name() {
        return "floors";
    }

    /** It measures the machine without the service: the commit floor is a SQLite file whatever --store says. */
    @Override
    boolean usesStore() {
        return false;
    }

    @Override
    String summary() {
        return "what the machine allows without the service: durable commit, process start, loopback HTTP";
    }

    @Override
    Map<String, String> settings(Options options) {
        Map<String, String> settings = options.texts("floor-samples", "workers");
        settings.put("launch", System.getProperty(LAUNCH_MECHANISM));
        return settings;
    }

    @Override
    RunFigures runOnce(RunContext run) throws Exception {
        int samples = run.options().integer("floor-samples");
        int workers = run.options().integer("workers");
        Samples commits = durableCommits(run.directory("sqlite").resolve("floor.db"), samples);
        double commitRate = commits.size() / (commits.totalMillis() / 1000);
        Samples spawns = new Samples();
        for (int i = 0; i < samples / 4; i++) {
            spawns.add(spawn(null));
        }
        double spawnRate = spawnRate(workers, samples, null);
        double plumbedRate = spawnRate(workers, samples, run.directory("runs"));
        Path inMemory = Files.createTempDirectory(RunContext.memoryFilesystem("floors, for run directories in memory,"),
                "charon-floors");
        double plumbedInMemoryRate;
        try {
            plumbedInMemoryRate = spawnRate(workers, samples, inMemory);
        } finally {
            RunContext.deleteRecursively(inMemory);
        }
        Samples exchanges = loopbackPosts(samples);
        return new RunFigures()
                .put(COMMIT_P50, commits.percentileMillis(50))
                .put(COMMIT_P99, commits.percentileMillis(99))
                .put(COMMITS, commitRate)
                .put(SPAWN_P50, spawns.percentileMillis(50))
                .put(SPAWN_P99, spawns.percentileMillis(99))
                .put(SPAWNS, spawnRate)
                .put(PLUMBED_SPAWNS, plumbedRate)
                .put(PLUMBED_SPAWNS_IN_MEMORY, plumbedInMemoryRate)
                .put(HTTP_P50, exchanges.percentileMillis(50))
                .put(HTTP_P99, exchanges.percentileMillis(99));
    }

    /** {@code count} single-row IMMEDIATE transactions, each committed to disk before the next begins. */
    private static Samples durableCommits(Path file, int count) throws SQLException {
        Samples latencies = new Samples();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file
                + "?journal_mode=WAL&synchronous=FULL&transaction_mode=IMMEDIATE")) {
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("CREATE TABLE jobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
            }
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (body) VALUES (?)")) {
                String body = "x".repeat(600); // about a job row
                for (int i = 0; i < count; i++) {
                    long began = System.nanoTime();
                    insert.setString(1, body);
                    insert.executeUpdate();
                    connection.commit();
                    latencies.add(System.nanoTime() - began);
                }
            }
        }
        return latencies;
    }

    /**
     * Nanoseconds from starting a shell that exits at once to having reaped it: with its output
     * discarded, or, given a directory to make run directories in, plumbed as the service runs a
     * playbook (see AnsiblePlaybookRunner), its run directory made before and removed after.
     */
    private static long spawn(Path runsDirectory) throws IOException, InterruptedException {
        long began = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(SHELL);
        Path runDirectory = null;
        if (runsDirectory == null) {
            builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        } else {
            runDirectory = Files.createTempDirectory(runsDirectory, "run");
            for (String file : RUN_FILES) {
                Files.writeString(runDirectory.resolve(file), "localhost\n");
            }
            builder.directory(runDirectory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.PIPE)
                    .redirectError(ProcessBuilder.Redirect.appendTo(runDirectory.resolve("stderr.log").toFile()));
        }
        Process process = builder.start();
        if (runDirectory != null) {
            try (InputStream out = process.getInputStream()) {
                out.readAllBytes();
            }
        }
        int exit = process.waitFor();
        if (runDirectory != null) {
            RunContext.deleteRecursively(runDirectory);
        }
        if (exit != 0) {
            throw new ScenarioFailure("/bin/sh -c 'exit 0' exited with " + exit);
        }
        return System.nanoTime() - began;
    }

    /** Processes started and reaped per second by {@code threads} threads together; see {@link #spawn}. */
    private static double spawnRate(int threads, int count, Path runsDirectory) throws InterruptedException {
        AtomicLong left = new AtomicLong(count);
        List<Throwable> failures = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long began = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.execute(() -> {
                try {
                    while (left.getAndDecrement() > 0) {
                        spawn(runsDirectory);
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(5, TimeUnit.MINUTES) || !failures.isEmpty()) {
            throw new ScenarioFailure("starting processes from " + threads + " threads failed: " + failures);
        }
        return count / ((System.nanoTime() - began) / 1e9);
    }

    /** Round trips of a small JSON POST on one keep-alive connection to a server that answers 201 at once. */
    private static Samples loopbackPosts(int count) throws IOException {
        // without it the server's answer waits for the client's delayed ACK (Nagle): 40 ms each
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        byte[] answer = "{\"id\":\"0\"}".getBytes(StandardCharsets.UTF_8);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                in.readAllBytes();
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(201, answer.length);
                out.write(answer);
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor());
        server.start();
        Samples latencies = new Samples();
        try (RawHttpConnection connection = new RawHttpConnection(server.getAddress().getPort())) {
            RawHttpConnection.Request request = ServiceClient.rawSubmitRequest("floor", null);
            // the first exchanges warm up both ends; they are not kept
            for (int i = 0; i < count + 200; i++) {
                long began = System.nanoTime();
                RawHttpConnection.Answer reply = connection.exchange(request);
                if (reply.status() != 201) {
                    throw new ScenarioFailure("the loopback server answered " + reply.status());
                }
                if (i >= 200) {
                    latencies.add(System.nanoTime() - began);
                }
            }
        } finally {
            server.stop(0);
            ((ExecutorService) server.getExecutor()).shutdownNow();
        }
        return latencies;
    }
}
