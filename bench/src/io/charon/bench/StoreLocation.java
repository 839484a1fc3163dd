package io.charon.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a service under test keeps its jobs: the SQLite file in its data directory (the service's
 * default), or a schema of its own on PostgreSQL, which several replicas may share. Gives the
 * {@code -D} settings that point the service there, as docs/postgresql.md starts a replica, and a
 * JDBC connection for the bench's own reads of what the store holds.
 */
record StoreLocation(String kind, String jdbcUrl, String user, Map<String, String> settings, Map<String, String> shownSettings) {

    static final String SQLITE = "sqlite";
    static final String POSTGRESQL = "postgresql";
    /** The file the service makes in its data directory (application.properties). */
    static final String SQLITE_FILE = "charon-jobs.db";

    /** The service's default: nothing to set. */
    static StoreLocation sqlite(Path dataDir) {
        return new StoreLocation(SQLITE, "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE), "", Map.of(), Map.of());
    }

    /**
     * The {@code postgresql} profile (the production one plus it, as an operator starts a replica) on
     * {@code schema}, which Flyway migrates at start-up. The report shows the schema as a placeholder:
     * it differs from run to run.
     */
    static StoreLocation postgresql(String serverUrl, String user, String schema) {
        Map<String, String> settings = postgresSettings(serverUrl, user, schema);
        return new StoreLocation(POSTGRESQL, settings.get("quarkus.datasource.postgresql.jdbc.url"), user, settings,
                postgresSettings(serverUrl, user, "bench_<random>"));
    }

    private static Map<String, String> postgresSettings(String serverUrl, String user, String schema) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("quarkus.profile", "prod,postgresql");
        settings.put("quarkus.datasource.postgresql.jdbc.url",
                serverUrl + (serverUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema);
        settings.put("quarkus.datasource.postgresql.username", user);
        settings.put("quarkus.flyway.postgresql.schemas", schema);
        return settings;
    }

    /** A connection for reading what the service stored (the tables are the same on both stores). */
    Connection connect() throws SQLException {
        return kind.equals(SQLITE) ? DriverManager.getConnection(jdbcUrl) : DriverManager.getConnection(jdbcUrl, user, "");
    }
}
