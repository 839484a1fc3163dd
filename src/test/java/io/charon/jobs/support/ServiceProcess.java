package io.charon.jobs.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged service run as a separate process, as an operator runs it: stopped with SIGTERM,
 * or killed with SIGKILL, and started again on the same data directory. The package is the one
 * the build made, as {@code target/quarkus-artifact.properties} names it (as for
 * {@code @QuarkusIntegrationTest}): {@code quarkus-run.jar}, or the native executable of
 * {@code ./mvnw verify -Pnative}, which the same integration tests then check.
 */
public final class ServiceProcess implements AutoCloseable {

    /** What the build packaged: {@code type} ({@code jar} or {@code native}) and {@code path} below target/. */
    private static final Path ARTIFACT = Path.of("target/quarkus-artifact.properties");
    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /**
     * The admin token of a service started here, configured by its hash (as an operator would;
     * the text never appears on the command line), unless the settings name any
     * {@code charon.security.*} key themselves.
     */
    public static final String ADMIN_TOKEN = "it-admin-token-9d3e51c07a2b48f6";

    /** A safety limit, not a speed check: a start-up on a machine busy with other builds took over two minutes. */
    private static final Duration START_LIMIT = Duration.ofMinutes(4);
    /**
     * For {@link #submit} and {@link #job}, which tests call hundreds of times: one keep-alive
     * connection instead of RestAssured's new connection and request pipeline per call, which
     * cost about 100 ms a request on the loaded 2-core CI machine.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dataDir;
    private final Map<String, String> settings;
    private final Map<String, String> environment;
    private final int port;
    private final Path logFile;
    private Process process;
    private boolean groupOfItsOwn;
    private String dumpClassesTo;
    /** The class-data archive of this build of the service, once {@link #classArchive} has looked for it. */
    private static Optional<Path> classArchive;
    private long terminatedAt;

    public ServiceProcess(Path dataDir, Map<String, String> settings) {
        this(dataDir, settings, Map.of());
    }

    public ServiceProcess(Path dataDir, Map<String, String> settings, Map<String, String> environment) {
        this(dataDir, settings, environment, "service.log");
    }

    /** With its output in {@code logName} in the data directory: for a second process on the same one. */
    public ServiceProcess(Path dataDir, Map<String, String> settings, Map<String, String> environment, String logName) {
        this.environment = environment;
        if (!Files.exists(packaged())) {
            throw new IllegalStateException(packaged() + " is missing: run through `./mvnw verify`, which packages first");
        }
        this.dataDir = dataDir;
        this.settings = settings;
        this.port = freePort();
        this.logFile = dataDir.resolve(logName);
    }

    /**
     * Started as the leader of a session and process group of its own (through {@code setsid}), as
     * under a service manager or in a terminal, so that {@link #terminateGroup} reaches the service
     * and what shares its group, and nothing of the tests.
     */
    public ServiceProcess inGroupOfItsOwn() {
        groupOfItsOwn = true;
        return this;
    }

    public ServiceProcess start() {
        launch();
        try {
            await().atMost(START_LIMIT).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException("the service exited at start-up; see " + logFile);
                        }
                        return request(null).get("/q/health/live").statusCode() == 200;
                    });
        } catch (RuntimeException notUp) {
            // a caller that built and started in one expression has nothing to close: do not leave the process behind
            process.destroyForcibly();
            throw notUp;
        }
        return this;
    }

    /** Starts the services at the same time and waits until each is up. */
    public static void startTogether(List<ServiceProcess> services) throws InterruptedException, ExecutionException {
        ExecutorService threads = Executors.newFixedThreadPool(services.size());
        try {
            List<Future<ServiceProcess>> starts = new ArrayList<>();
            for (ServiceProcess service : services) {
                starts.add(threads.submit(service::start));
            }
            for (Future<ServiceProcess> start : starts) {
                start.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    /** Starts the service when it is expected not to come up: returns its exit code. */
    public int startExpectingExit() throws InterruptedException {
        launch();
        if (!process.waitFor(START_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service still runs " + START_LIMIT + " after its start; see " + logFile);
        }
        return process.exitValue();
    }

    private void launch() {
        List<String> command = new ArrayList<>();
        if (groupOfItsOwn) {
            // setsid (util-linux) execs in place: the process started here is the JVM itself
            command.add("setsid");
        }
        if (isNative()) {
            command.addAll(List.of(packaged().toAbsolutePath().toString(), "-Xmx256m"));
        } else {
            command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Xmx256m",
                    // a test's service lives for seconds to minutes: the C1 compiler alone starts it
                    // two to three times faster on two cores, where C2's compilations compete with the
                    // start-up for the CPU, and the serial collector adds no threads beside them
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC"));
            if (dumpClassesTo != null) {
                command.add("-XX:ArchiveClassesAtExit=" + dumpClassesTo);
            } else {
                classArchive().ifPresent(archive -> command.add("-XX:SharedArchiveFile=" + archive));
            }
        }
        command.addAll(List.of("-Dquarkus.http.port=" + port,
                "-Dcharon.jobs.data-dir=" + dataDir.toAbsolutePath(),
                "-Dcharon.ansible.playbook-dir=" + Path.of("src/test/resources/playbooks").toAbsolutePath()));
        if (usesDefaultToken()) {
            command.add("-Dcharon.security.tokens.it-admin.sha256=" + sha256(ADMIN_TOKEN));
            command.add("-Dcharon.security.tokens.it-admin.role=admin");
        }
        settings.forEach((key, value) -> command.add("-D" + key + "=" + value));
        if (!isNative()) {
            command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        }
        try {
            Files.createDirectories(dataDir);
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A class-data archive (AppCDS) of the packaged service, made once per build of the jar by one
     * start and graceful stop of it, and used by every start after: the JVM then maps the classes
     * the service loads at start-up instead of loading and verifying them, which makes the
     * thirty-odd starts of the integration tests a third quicker. Without one (it could not be
     * made) the service starts as before.
     */
    private static synchronized Optional<Path> classArchive() {
        if (classArchive != null) {
            return classArchive;
        }
        classArchive = Optional.empty(); // the start that makes it runs without one
        try {
            Path app = JAR.resolveSibling("app");
            long built = Files.getLastModifiedTime(JAR).toMillis();
            try (var files = Files.list(app)) {
                for (Path file : files.toList()) {
                    built = Math.max(built, Files.getLastModifiedTime(file).toMillis());
                }
            }
            Path archive = Path.of("target/it-class-data/service-" + built + ".jsa").toAbsolutePath();
            if (!Files.exists(archive)) {
                Files.createDirectories(archive.getParent());
                // those of earlier builds (70 MB each) and their data directories
                try (var earlier = Files.list(archive.getParent())) {
                    for (Path old : earlier.toList()) {
                        try (var tree = Files.walk(old)) {
                            for (Path file : tree.sorted(java.util.Comparator.reverseOrder()).toList()) {
                                Files.delete(file);
                            }
                        }
                    }
                }
                Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
                Files.deleteIfExists(partial);
                Path dataDir = archive.resolveSibling("data-" + built);
                ServiceProcess dumping = new ServiceProcess(dataDir, Map.of());
                dumping.dumpClassesTo = partial.toString();
                try {
                    dumping.start();
                    dumping.stop();
                } finally {
                    dumping.close();
                }
                if (!Files.exists(partial) || Files.size(partial) == 0) {
                    System.out.println("ServiceProcess: no class-data archive was written; see " + dumping.logFile());
                    return classArchive;
                }
                Files.move(partial, archive);
            }
            classArchive = Optional.of(archive);
        } catch (IOException | RuntimeException e) {
            System.out.println("ServiceProcess: starting without a class-data archive: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return classArchive;
    }

    /** The executable or jar that the build packaged last (target/quarkus-artifact.properties). */
    private static Path packaged() {
        Properties artifact = artifact();
        return artifact.containsKey("path") ? Path.of("target").resolve(artifact.getProperty("path")) : JAR;
    }

    private static boolean isNative() {
        return "native".equals(artifact().getProperty("type"));
    }

    private static Properties artifact() {
        Properties artifact = new Properties();
        if (Files.exists(ARTIFACT)) {
            try (var in = Files.newInputStream(ARTIFACT)) {
                artifact.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return artifact;
    }

    /** The service's process id (the JVM's, or the native executable's). */
    public long pid() {
        return process.pid();
    }

    /** SIGTERM, and wait for the graceful shutdown to finish. */
    public void stop() throws InterruptedException {
        terminate();
        awaitExit();
    }

    /** SIGTERM without waiting: the test watches the shutdown as it goes. */
    public void terminate() {
        terminatedAt = System.nanoTime();
        process.destroy();
    }

    /**
     * SIGTERM to the service's whole process group, as Ctrl-C in a terminal or a service manager
     * that signals every process it started: the service and whatever shares its group.
     */
    public void terminateGroup() throws IOException, InterruptedException {
        // the shell's builtin kill: the kill executable (procps) is not on every machine; dash's
        // builtin takes a negative pid (a group) but not "--"
        Process kill = new ProcessBuilder("sh", "-c", "kill -TERM -\"$1\"", "sh", Long.toString(process.pid()))
                .inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -TERM -" + process.pid() + " failed");
        }
    }

    /**
     * Whether the process exits within {@code deadline} of the last {@link #terminate()}: for a
     * deadline the product must keep (the orchestrator's grace period), not a speed measure.
     */
    public boolean exitsWithin(Duration deadline) throws InterruptedException {
        long left = deadline.toNanos() - (System.nanoTime() - terminatedAt);
        return process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS);
    }

    public void awaitExit() throws InterruptedException {
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the service did not stop within 90 s of SIGTERM");
        }
    }

    /** SIGKILL: no shutdown work at all, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** A request with the default admin token (when the service was started with it). */
    public RequestSpecification request() {
        RequestSpecification request = RestAssured.given().baseUri("http://127.0.0.1").port(port);
        return usesDefaultToken() ? request.header("Authorization", "Bearer " + ADMIN_TOKEN) : request;
    }

    /** A request with {@code token}, or with none when it is null. */
    public RequestSpecification request(String token) {
        RequestSpecification request = RestAssured.given().baseUri("http://127.0.0.1").port(port);
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private boolean usesDefaultToken() {
        return settings.keySet().stream().noneMatch(key -> key.startsWith("charon.security."));
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Submits and returns the new job's id, insisting on 201. */
    public String submit(Map<String, Object> body) {
        try {
            HttpRequest.Builder post = HttpRequest.newBuilder().header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            return JSON.readTree(send(post, "/api/v1/jobs", 201)).get("id").asText();
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job as {@code GET /api/v1/jobs/{id}} returns it, insisting on 200. */
    public JsonPath job(String id) {
        return JsonPath.from(send(HttpRequest.newBuilder().GET(), "/api/v1/jobs/" + id, 200));
    }

    /**
     * The job as a map parsed by Jackson: for reading many jobs, where {@link JsonPath}'s Groovy
     * evaluation of each path costs tens of milliseconds on a loaded machine.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jobFields(String id) {
        try {
            return JSON.readValue(send(HttpRequest.newBuilder().GET(), "/api/v1/jobs/" + id, 200), Map.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends with the default admin token (when the service was started with it); the body, if the status is {@code expected}. */
    private String send(HttpRequest.Builder request, String path, int expected) {
        request.uri(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(60));
        if (usesDefaultToken()) {
            request.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new AssertionError(response.request().method() + " " + path + ": expected status " + expected
                        + " but was " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + path, e);
        }
    }

    public String status(String id) {
        return job(id).getString("status");
    }

    /** Waits for a final status through the service's wait endpoint, then returns the job. */
    public JsonPath awaitTerminal(String id) {
        await().atMost(Duration.ofSeconds(90)).until(() -> Api.TERMINAL.contains(request()
                .get("/api/v1/jobs/" + id + "/wait?timeout=PT10S").then().statusCode(200).extract().path("status")));
        return job(id);
    }

    public Path logFile() {
        return logFile;
    }

    /** The HTTP port, for clients other than RestAssured. */
    public int port() {
        return port;
    }

    /**
     * This process's name as a lease owner ({@code instance-id} in its data directory), once it
     * has created it; each data directory has its own, so replicas on one host differ.
     */
    public String instanceId() {
        Path file = dataDir.resolve("instance-id");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(file) && !Files.readString(file).isBlank());
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
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
