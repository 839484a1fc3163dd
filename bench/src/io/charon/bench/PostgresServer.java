package io.charon.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The PostgreSQL server of {@code --store postgresql} ({@code --pg-url}, {@code --pg-user}, no
 * password: a trusted local server). Each service, or each set of replicas, gets a fresh schema
 * {@code bench_<random>} in that database, so a run starts empty as on SQLite; the run drops it
 * afterwards unless {@code --keep-data}.
 */
final class PostgresServer {

    /** Server settings that bear on commit cost and replica count, shown with the results. */
    private static final List<String> SHOWN = List.of("synchronous_commit", "fsync", "max_connections", "shared_buffers");

    private final String url;
    private final String user;

    PostgresServer(String url, String user) {
        this.url = url;
        this.user = user;
    }

    static PostgresServer of(Options options) {
        return new PostgresServer(options.text("pg-url"), options.text("pg-user"));
    }

    /** Version and settings, one line; fails when the server cannot be reached. */
    String describe() {
        try (Connection db = connect(); Statement statement = db.createStatement()) {
            List<String> parts = new ArrayList<>();
            try (ResultSet version = statement.executeQuery("SHOW server_version")) {
                version.next();
                parts.add("PostgreSQL " + version.getString(1) + " at " + url + " (user " + user + ")");
            }
            for (String setting : SHOWN) {
                try (ResultSet value = statement.executeQuery("SHOW " + setting)) {
                    value.next();
                    parts.add(setting + "=" + value.getString(1));
                }
            }
            return String.join(", ", parts);
        } catch (SQLException e) {
            throw new ScenarioFailure("cannot reach PostgreSQL at " + url + " as " + user + ": " + e.getMessage(), e);
        }
    }

    /** A new, empty schema, and the settings that put a service on it. */
    StoreLocation createSchema() {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("CREATE SCHEMA " + schema);
        return StoreLocation.postgresql(url, user, schema);
    }

    void dropSchema(StoreLocation store) {
        execute("DROP SCHEMA IF EXISTS " + schemaOf(store) + " CASCADE");
    }

    static String schemaOf(StoreLocation store) {
        return store.settings().get("quarkus.flyway.postgresql.schemas");
    }

    private void execute(String sql) {
        try (Connection db = connect(); Statement statement = db.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new ScenarioFailure(sql + " failed on " + url + ": " + e.getMessage(), e);
        }
    }

    private Connection connect() throws SQLException {
        try {
            return DriverManager.getConnection(url, user, "");
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().startsWith("No suitable driver")) {
                throw new SQLException("no PostgreSQL JDBC driver on the bench's class path (bench/run adds the service's own)", e);
            }
            throw e;
        }
    }
}
