package io.charon.jobs.support;

import io.quarkus.test.junit.callback.QuarkusTestBeforeClassCallback;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Drops, when the test run ends, the PostgreSQL schemas its services migrated: one per application
 * start of the PostgreSQL execution, one per test profile, and those of packaged services an
 * integration test names with {@link #droppedAfterTheRun}. Left behind, they piled up on the
 * server, and with autovacuum off their dead catalog rows slowed every later statement that reads
 * the catalogs (a third of the submission rate after a few hours of runs). Each test class records
 * its application's schema (a Quarkus callback, in the application's class loader); the launcher
 * drops them all at the end of the session, once every application has stopped. The record is a
 * system property, the one place both class loaders share.
 */
public final class TestSchemas implements QuarkusTestBeforeClassCallback, LauncherSessionListener {

    private static final String RECORD = "charon.test.schemas-to-drop";
    private static final String PREFIX = "charon_test_";

    @Override
    public void beforeClass(Class<?> testClass) {
        // set only where the application runs on PostgreSQL: the PostgreSQL execution, or a profile
        ConfigProvider.getConfig().getOptionalValue("quarkus.flyway.postgresql.schemas", String.class)
                .filter(schema -> schema.startsWith(PREFIX) && schema.matches("[A-Za-z0-9_-]+"))
                .ifPresent(TestSchemas::record);
    }

    /** {@code schema}, to be dropped when the test run ends. */
    public static String droppedAfterTheRun(String schema) {
        record(schema);
        return schema;
    }

    private static synchronized void record(String schema) {
        Set<String> schemas = recorded();
        if (schemas.add(schema)) {
            System.setProperty(RECORD, String.join(",", schemas));
        }
    }

    private static Set<String> recorded() {
        String text = System.getProperty(RECORD, "");
        return new LinkedHashSet<>(text.isEmpty() ? Set.of() : Arrays.asList(text.split(",")));
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        Set<String> schemas = recorded();
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection db = DriverManager.getConnection(PostgresStoreProfile.URL, PostgresStoreProfile.USER, "");
             Statement statement = db.createStatement()) {
            for (String schema : schemas) {
                statement.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
            }
            System.clearProperty(RECORD);
        } catch (SQLException e) {
            System.err.println("could not drop the test schemas " + schemas + ": " + e.getMessage());
        }
    }
}
