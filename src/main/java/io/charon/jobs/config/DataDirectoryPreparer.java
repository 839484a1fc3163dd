package io.charon.jobs.config;

import io.charon.jobs.store.Store;
import io.quarkus.flyway.FlywayConfigurationCustomizer;
import io.quarkus.flyway.FlywayDataSource;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.charon.jobs.files.PrivateFiles;
import java.nio.file.Path;

/**
 * SQLite cannot create the folder of its database file. Flyway opens the first connection at
 * start-up, and this customizer runs just before it: the one moment to create that folder.
 * Before that, the data directory's lock is taken ({@link DataDirectoryLock}, asked for here), so
 * that a second process on the same directory stops before it migrates or touches anything.
 */
@Singleton
public class DataDirectoryPreparer implements FlywayConfigurationCustomizer {

    static final String SQLITE_PREFIX = "jdbc:sqlite:";

    private final String jdbcUrl;

    public DataDirectoryPreparer(@ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
                                 DataDirectoryLock lock) {
        this.jdbcUrl = jdbcUrl;
    }

    /** On PostgreSQL the store is shared, but the data directory is still this process's alone. */
    @Singleton
    @FlywayDataSource(Store.POSTGRESQL)
    public static class OnPostgresql implements FlywayConfigurationCustomizer {

        public OnPostgresql(DataDirectoryLock lock) {
            // taking the lock, as its creation does, is all there is to do before the migration
        }

        @Override
        public void customize(FluentConfiguration configuration) {
        }
    }

    @Override
    public void customize(FluentConfiguration configuration) {
        databaseFile(jdbcUrl).map(Path::toAbsolutePath).map(Path::getParent).ifPresent(dir -> {
            try {
                // the store holds job variables, token hashes and sealed secrets: the service user's only
                PrivateFiles.createMissing(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the folder of the database file: " + dir, e);
            }
        });
    }

    /** The file of an SQLite URL, if the URL names one (not {@code :memory:}). */
    static java.util.Optional<Path> databaseFile(String url) {
        if (url == null || !url.startsWith(SQLITE_PREFIX)) {
            return java.util.Optional.empty();
        }
        String rest = url.substring(SQLITE_PREFIX.length());
        int query = rest.indexOf('?');
        String file = query >= 0 ? rest.substring(0, query) : rest;
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file::memory:")) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(Path.of(file.startsWith("file:") ? file.substring(5) : file));
    }
}
