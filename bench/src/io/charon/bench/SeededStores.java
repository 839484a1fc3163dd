package io.charon.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Seeded stores, made once per bench invocation and copied into each run's data directory, so
 * that every run starts from the same store and seeding (a minute for a million jobs) is paid
 * once. The schema comes from the service itself: it is started once on an empty data directory
 * (Flyway migrates), stopped, and that migrated file is the template every seed starts from.
 */
final class SeededStores implements AutoCloseable {

    static final String DB_FILE = "charon-jobs.db";

    private final Layout layout;
    private final Options options;
    private final Map<StoreSeeder.Spec, StoreSeeder.Seeded> seeded = new HashMap<>();
    private Path template;

    SeededStores(Layout layout, Options options) {
        this.layout = layout;
        this.options = options;
    }

    /** The store for {@code spec}, seeding it on first use. */
    StoreSeeder.Seeded get(StoreSeeder.Spec spec) throws SQLException {
        StoreSeeder.Seeded store = seeded.get(spec);
        if (store != null) {
            return store;
        }
        Path dir = layout.storeRoot().resolve(spec.key());
        RunContext.deleteRecursively(dir);
        Path db = dir.resolve(DB_FILE);
        copy(template(), db);
        long began = System.nanoTime();
        Bench.note(String.format(Locale.ROOT, "seeding %,d finished and %,d queued jobs into %s", spec.finished(),
                spec.queued(), layout.root().relativize(db)));
        store = StoreSeeder.seed(db, spec, Instant.now());
        Bench.note(String.format(Locale.ROOT, "seeded in %.1f s: %s, %s file %,.0f MB", (System.nanoTime() - began) / 1e9,
                store.statuses(), "tag '" + store.tag() + "' on " + store.tagged() + " jobs,", size(db) / 1e6));
        seeded.put(spec, store);
        return store;
    }

    /** Puts a copy of the seeded store where a service on {@code dataDir} will find it. */
    void copyInto(StoreSeeder.Seeded store, Path dataDir) {
        copy(store.db(), dataDir.resolve(DB_FILE));
    }

    /** Starts the service once on an empty directory so that its migrations create the schema. */
    private Path template() throws SQLException {
        if (template != null) {
            return template;
        }
        Path dataDir = layout.storeRoot().resolve("template");
        RunContext.deleteRecursively(dataDir);
        Bench.note("migrating an empty store (the service's own Flyway migrations) as the seeding template");
        try (ServiceUnderTest service = ServiceUnderTest.builder(layout, dataDir,
                layout.logRoot().resolve("store-template.log"), options.jvmOptions()).workers(0, 1).start()) {
            service.stop();
        }
        template = dataDir.resolve(DB_FILE);
        // fold a write-ahead log the shutdown left behind into the file itself, so a copy is complete
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + template);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return template;
    }

    private static void copy(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            for (String suffix : List.of("-wal", "-shm")) {
                Files.deleteIfExists(Path.of(to + suffix));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (!options.keepData()) {
            RunContext.deleteRecursively(layout.storeRoot());
        }
    }
}
