package io.charon.jobs.observability;

import io.agroal.api.AgroalDataSource;
import io.charon.jobs.config.JobsConfig;
import io.charon.jobs.support.Api;
import io.charon.jobs.support.Gate;
import io.charon.jobs.support.MutableClock;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each probe goes DOWN for its cause and comes back once the cause is gone: the ansible binary
 * missing, the data directory unwritable, the store refusing writes, the dispatcher not ticking,
 * a worker held past its run's deadline; a slow ansible does not take readiness down. While the
 * store's file cannot be written or its disk is full, requests get 503, and the service heals by
 * itself afterwards. The service runs on {@link MutableClock}, so cached probes and ages can be
 * moved past their limits without waiting, with its data directory on a small tmpfs.
 */
@QuarkusTest
@TestProfile(HealthProbeTest.ProbeProfile.class)
@Tag("sqlite-only") // the store's file, disk and write lock; PostgreSQL's outage is StoreOutageOnPostgresTest
class HealthProbeTest {

    /** MutableClock, a lease that outlives the clock jumps, and ansible-playbook behind a link the test can remove. */
    public static class ProbeProfile implements QuarkusTestProfile {

        static final Path ANSIBLE = Path.of("target/health-probe/ansible-playbook").toAbsolutePath();

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(MutableClock.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            installAnsible();
            return Map.of("charon.ansible.command", ANSIBLE.toString(),
                    "charon.jobs.lease-duration", "PT6H",
                    "charon.jobs.data-dir", StoreVolume.mount().toString(),
                    "charon.jobs.min-free-disk", "1M");
        }
    }

    /**
     * The data directory on a small tmpfs of its own, which a test can fill up (root ignores
     * permissions, and the machine's disk is too large). Unmounted when the tests' JVM exits,
     * lazily, as the service may still hold its files then; mounted outside {@code target/}, so
     * that a JVM killed before it could unmount leaves nothing that stops {@code mvn clean}.
     */
    static final class StoreVolume {

        static final String SIZE = "48m";
        private static Path mounted;

        static synchronized Path mount() {
            if (mounted == null) {
                Path dir;
                try {
                    dir = Files.createTempDirectory("charon-health-probe-data-");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                // fails the tests rather than letting them run on the machine's disk
                Unwritable.run("mount", "-t", "tmpfs", "-o", "size=" + SIZE + ",mode=0755", "charon-test-data", dir.toString());
                Runtime.getRuntime().addShutdownHook(new Thread(() -> Unwritable.run("umount", "-l", dir.toString())));
                mounted = dir;
            }
            return mounted;
        }
    }

    @Inject
    MutableClock clock;

    @Inject
    Scheduler scheduler;

    @Inject
    JobsConfig config;

    @Inject
    DataSource store;

    private final Gate gate = new Gate();

    @AfterEach
    void restore() {
        gate.open();
        installAnsible();
        if (scheduler.isPaused(DISPATCH_TICK)) {
            scheduler.resume(DISPATCH_TICK);
        }
    }

    private static final String DISPATCH_TICK = "charon-dispatch-tick";

    /** The version of the newest migration this build ships, from the files' names (V<n>__...). */
    private static String latestMigration() {
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                java.nio.file.Path.of("src/main/resources/db/migration"))) {
            return Integer.toString(files.map(f -> f.getFileName().toString())
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everyProbeReportsItsChecksWithTheirData() {
        // the first answer of ansible-playbook may still be on its way on a loaded machine
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        JsonPath ready = health("ready", 200);
        assertThat(ready.getList("checks.name", String.class))
                .contains("store", "migrations", "ansible", "disk", "shutdown");
        assertThat(check(ready, "ansible").get("data")).asString().contains("ansible-playbook [core ");
        assertThat(data(ready, "migrations")).containsEntry("schemaVersion", latestMigration()).containsEntry("pending", "");
        assertThat(data(ready, "disk")).containsKeys("data.freeBytes", "logs.freeBytes", "work.freeBytes", "minFreeBytes");
        assertThat(data(ready, "store")).containsKeys("queuedJobs", "runningJobs", "writeMs");
        assertThat(data(ready, "shutdown")).containsEntry("draining", false);

        JsonPath live = health("live", 200);
        assertThat(data(live, "dispatcher")).containsEntry("claiming", true).containsKeys("lastPassAgeMs", "queuedJobs");
        assertThat(data(live, "worker-pool")).containsEntry("overdueRuns", 0).containsKeys("workerCount", "runningJobs");

        JsonPath started = health("started", 200);
        assertThat(data(started, "start-up")).containsEntry("migrations.schemaVersion", latestMigration()).containsKey("orphansSettled");
    }

    @Test
    void aMissingAnsibleBinaryMakesTheServiceUnreadyUntilItIsBack() throws IOException {
        Files.delete(ProbeProfile.ANSIBLE);
        clock.advance(AnsibleReadiness.RECHECK_AFTER);

        // the recheck runs in the background; the last answer stands until it ends
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 503);
        JsonPath ready = health("ready", 503);
        assertThat(check(ready, "ansible")).containsEntry("status", "DOWN");
        assertThat((String) data(ready, "ansible").get("reason")).contains("cannot run " + ProbeProfile.ANSIBLE);
        assertThat(check(ready, "disk")).containsEntry("status", "UP");

        installAnsible();
        clock.advance(AnsibleReadiness.RECHECK_AFTER);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().get("/q/health/ready").statusCode() == 200);
        assertThat(check(health("ready", 200), "ansible")).containsEntry("status", "UP");
    }

    @Test
    void aSlowAnsibleKeepsItsLastGoodAnswerUntilItAnswers() throws IOException {
        clock.advance(AnsibleReadiness.RECHECK_AFTER);
        await().atMost(Duration.ofSeconds(60)).until(() -> !data(health("ready", 200), "ansible").containsKey("pending"));
        Path release = ProbeProfile.ANSIBLE.resolveSibling("release");
        Files.deleteIfExists(release);
        // an ansible-playbook that answers only once released, as one on a machine too loaded to start Python
        Files.delete(ProbeProfile.ANSIBLE);
        Files.writeString(ProbeProfile.ANSIBLE, "#!/bin/sh\nwhile [ ! -e '" + release + "' ]; do sleep 0.05; done\n"
                + "exec '" + realAnsible() + "' \"$@\"\n");
        Files.setPosixFilePermissions(ProbeProfile.ANSIBLE, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        try {
            clock.advance(AnsibleReadiness.RECHECK_AFTER);

            JsonPath ready = health("ready", 200);
            assertThat(check(ready, "ansible")).containsEntry("status", "UP");
            assertThat((String) data(ready, "ansible").get("version")).startsWith("ansible-playbook [core ");
            assertThat((String) data(ready, "ansible").get("pending")).contains("slow to answer");

            Files.createFile(release);
            await().atMost(Duration.ofSeconds(60)).until(() -> !data(health("ready", 200), "ansible").containsKey("pending"));
            assertThat(check(health("ready", 200), "ansible")).containsEntry("status", "UP");
        } finally {
            if (!Files.exists(release)) {
                Files.createFile(release);
            }
            Files.delete(ProbeProfile.ANSIBLE);
            installAnsible();
        }
    }

    @Test
    void anUnwritableDataDirectoryMakesTheServiceUnreadyUntilItIsWritable() {
        Path dataDir = config.dataDir().toAbsolutePath();
        try (Unwritable ignored = Unwritable.make(dataDir)) {
            JsonPath ready = health("ready", 503);
            assertThat(check(ready, "disk")).containsEntry("status", "DOWN");
            assertThat((String) data(ready, "disk").get("reason")).contains("data directory " + dataDir + " is not writable");
            assertThat(check(ready, "store")).containsEntry("status", "UP");
        }
        assertThat(check(health("ready", 200), "disk")).containsEntry("status", "UP");
    }

    @Test
    void aStoreThatTakesNoWriteMakesTheServiceUnreadyUntilItDoesAgain() throws Exception {
        try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + config.dataDir().resolve("charon-jobs.db"));
             Statement statement = writer.createStatement()) {
            // another writer holds SQLite's write lock, as a stuck transaction would
            statement.execute("BEGIN IMMEDIATE");
            try {
                JsonPath ready = health("ready", 503);
                assertThat(check(ready, "store")).containsEntry("status", "DOWN");
                assertThat((String) data(ready, "store").get("reason"))
                        .startsWith("the store does not take a write").contains("locked");
            } finally {
                statement.execute("ROLLBACK");
            }
        }
        assertThat(check(health("ready", 200), "store")).containsEntry("status", "UP");
    }

    @Test
    void aStoreFileThatCannotBeWrittenAnswers503AndHealsOnceItCanAgain() throws Exception {
        Path database = config.dataDir().resolve("charon-jobs.db");
        try (Unwritable ignored = Unwritable.files(database, database.resolveSibling("charon-jobs.db-wal"))) {
            // the pool replaces its connections while the file cannot be written, as it does over time
            ((AgroalDataSource) store).flush(AgroalDataSource.FlushMode.ALL);
            borrowSeveral(connection -> {
            });

            assertStoreUnavailable(Api.post(laterJob()));
            JsonPath ready = health("ready", 503);
            assertThat(check(ready, "store")).containsEntry("status", "DOWN");
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> Api.post(laterJob()).statusCode() == 201);
        // no connection the pool lends is left read-only: each takes a write, and so do the service's
        borrowSeveral(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE health_probe SET checked_at = checked_at WHERE id = 1");
            }
        });
        for (int i = 0; i < 5; i++) {
            Api.submit(laterJob());
            assertThat(check(health("ready", 200), "store")).containsEntry("status", "UP");
        }
    }

    @Test
    void aFullDiskAnswers503AndHealsOnceThereIsRoomAgain() throws Exception {
        Path filler = config.dataDir().resolve("filler");
        try {
            // an empty write-ahead log: the next write must grow it, and finds no room
            await().atMost(Duration.ofSeconds(30)).until(this::walTruncated);
            fill(filler);

            assertStoreUnavailable(Api.post(laterJob()));
            JsonPath ready = health("ready", 503);
            assertThat(check(ready, "store")).containsEntry("status", "DOWN");
            assertThat((String) data(ready, "store").get("reason")).contains("SQLITE_FULL");
        } finally {
            Files.deleteIfExists(filler);
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> Api.post(laterJob()).statusCode() == 201);
        assertThat(check(health("ready", 200), "store")).containsEntry("status", "UP");
    }

    /** A job due long after the tests end: storing it is all that is asked of the service. */
    private Map<String, Object> laterJob() {
        return Api.with(Api.job("later", "hello.yml"), "scheduledAt", clock.instant().plus(Duration.ofDays(365)).toString());
    }

    private static void assertStoreUnavailable(io.restassured.response.Response response) {
        response.then().statusCode(503).contentType("application/problem+json").header("Retry-After", "5")
                .body("type", org.hamcrest.Matchers.endsWith("/store-unavailable"))
                .body("status", org.hamcrest.Matchers.equalTo(503));
    }

    @FunctionalInterface
    private interface ConnectionUse {
        void use(Connection connection) throws SQLException;
    }

    /** Borrows several of the pool's connections at once and uses each; a failure to borrow counts only while the store is away. */
    private void borrowSeveral(ConnectionUse use) throws SQLException {
        List<Connection> borrowed = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                try {
                    borrowed.add(store.getConnection());
                } catch (SQLException e) {
                    if (borrowed.isEmpty() && Files.isWritable(config.dataDir().resolve("charon-jobs.db"))) {
                        throw e;
                    }
                }
            }
            for (Connection connection : borrowed) {
                use.use(connection);
            }
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }

    private boolean walTruncated() throws SQLException {
        try (Connection connection = store.getConnection(); Statement statement = connection.createStatement();
             java.sql.ResultSet row = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            return row.next() && row.getInt(1) == 0;
        }
    }

    /** Writes {@code filler} until the data directory's file system has no room left. */
    private static void fill(Path filler) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!e.getMessage().contains("No space left")) {
                throw e;
            }
        }
    }

    @Test
    void pendingMigrationsMakeTheServiceUnready() {
        String url = "jdbc:sqlite:" + config.dataDir().resolve("charon-jobs.db");
        Flyway newerBuild = Flyway.configure().dataSource(url, "", "")
                .locations("filesystem:src/main/resources/db/migration", "filesystem:src/test/resources/health/migration")
                .load();

        HealthCheckResponse response = MigrationsReadiness.check(MigrationsReadiness.versionsOf(newerBuild), store);

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow()).containsEntry("pending", "999").containsEntry("schemaVersion", latestMigration());
    }

    @Test
    void livenessFailsWhileTheDispatcherDoesNotTickAndRecovers() {
        scheduler.pause(DISPATCH_TICK);
        clock.advance(DispatcherLiveness.MIN_ALLOWED_AGE.plusMinutes(1));

        JsonPath live = health("live", 503);
        assertThat(check(live, "dispatcher")).containsEntry("status", "DOWN");
        assertThat(((Number) data(live, "dispatcher").get("lastPassAgeMs")).longValue())
                .isGreaterThan(DispatcherLiveness.MIN_ALLOWED_AGE.toMillis());
        assertThat(check(live, "worker-pool")).containsEntry("status", "UP");

        scheduler.resume(DISPATCH_TICK);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get("/q/health/live").statusCode() == 200);
    }

    private static JsonPath health(String probe, int status) {
        return given().get("/q/health/" + probe).then().statusCode(status).extract().jsonPath();
    }

    private static Map<String, Object> check(JsonPath health, String name) {
        return health.getMap("checks.find { it.name == '" + name + "' }");
    }

    private static Map<String, Object> data(JsonPath health, String name) {
        return health.getMap("checks.find { it.name == '" + name + "' }.data");
    }

    private static Path realAnsible() {
        return Arrays.stream(System.getenv("PATH").split(":")).map(dir -> Path.of(dir, "ansible-playbook"))
                .filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IllegalStateException("ansible-playbook is not on the PATH"));
    }

    /** Links the configured command to the real ansible-playbook found on the PATH. */
    static void installAnsible() {
        try {
            Path real = realAnsible();
            Files.createDirectories(ProbeProfile.ANSIBLE.getParent());
            if (!Files.exists(ProbeProfile.ANSIBLE, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createSymbolicLink(ProbeProfile.ANSIBLE, real);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A directory no file can be created in until closed: its write permission removed, and, when
     * that does not stop this process (root ignores permissions), marked immutable.
     */
    record Unwritable(List<Path> paths, boolean immutable) implements AutoCloseable {

        /** Files marked immutable, which stops root too: neither opened for writing nor written through open descriptors. */
        static Unwritable files(Path... files) {
            List<Path> existing = Arrays.stream(files).filter(Files::exists).toList();
            Unwritable made = new Unwritable(existing, true);
            try {
                for (Path file : existing) {
                    run("chattr", "+i", file.toString());
                }
                if (existing.isEmpty() || existing.stream().anyMatch(file -> Files.isWritable(file))) {
                    throw new IllegalStateException("cannot make " + existing + " unwritable for this test");
                }
            } catch (RuntimeException e) {
                made.close();
                throw e;
            }
            return made;
        }

        static Unwritable make(Path dir) {
            run("chmod", "a-w", dir.toString());
            if (!writable(dir)) {
                return new Unwritable(List.of(dir), false);
            }
            run("chattr", "+i", dir.toString());
            Unwritable made = new Unwritable(List.of(dir), true);
            if (writable(dir)) {
                made.close();
                throw new IllegalStateException("cannot make " + dir + " unwritable for this test");
            }
            return made;
        }

        /** Restores every path, even when one of them fails. */
        @Override
        public void close() {
            RuntimeException failure = null;
            for (Path path : paths) {
                try {
                    if (immutable) {
                        run("chattr", "-i", path.toString());
                    }
                    run("chmod", "u+w", path.toString());
                } catch (RuntimeException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure;
            }
        }

        private static boolean writable(Path dir) {
            try {
                Files.delete(Files.createTempFile(dir, "probe", ".tmp"));
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        static void run(String... command) {
            try {
                Process process = new ProcessBuilder(List.of(command)).inheritIO().start();
                if (process.waitFor() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
