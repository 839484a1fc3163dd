package io.charon.jobs.config;

import io.charon.jobs.job.Job;
import io.charon.jobs.store.Store;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store runs with the settings its durability and concurrency rules rely on. */
@QuarkusTest
@Tag("sqlite-only") // SQLite's pragmas and write lock; PostgreSQL's concurrent writers are in PostgresStoreTest
class StoreSettingsTest {

    @Inject
    Store store;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @Test
    void connectionsAreDurableWalWithForeignKeys() throws Exception {
        try (Connection connection = store.dataSource().getConnection()) {
            assertThat(pragma(connection, "journal_mode")).isEqualTo("wal");
            assertThat(pragma(connection, "synchronous")).isEqualTo("2"); // FULL
            assertThat(pragma(connection, "foreign_keys")).isEqualTo("1");
            assertThat(Integer.parseInt(pragma(connection, "busy_timeout"))).isGreaterThanOrEqualTo(5000);
        }
    }

    @Test
    void aTransactionHoldsTheWriteLockFromItsStartAndReleasesItWithItsCommit() throws Exception {
        String probe = url.replace("busy_timeout=10000", "busy_timeout=0");
        try (Connection other = DriverManager.getConnection(probe)) {
            QuarkusTransaction.requiringNew().run(() -> {
                store.session().createSelectionQuery("select count(*) from Job", Long.class).getSingleResult(); // only a read so far
                assertThatThrownBy(() -> write(other)).isInstanceOf(SQLException.class).hasMessageContaining("BUSY");
            });
            write(other);
            QuarkusTransaction.requiringNew().run(() -> store.session().createSelectionQuery("select count(*) from Job", Long.class).getSingleResult());
            write(other); // the pooled connection kept no lock after its commit
        }
    }

    private static void write(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("CREATE TABLE IF NOT EXISTS lock_probe (n INTEGER)");
            statement.executeUpdate("INSERT INTO lock_probe (n) VALUES (1)");
        }
    }

    private static String pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery("PRAGMA " + name)) {
            row.next();
            return row.getString(1);
        }
    }
}
