package io.charon.jobs.support;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A store's plan for the service's own queries, on a store migrated by the service's own
 * migrations: SQLite's, or PostgreSQL's in a schema of its own (dropped at {@link #close()}).
 */
public final class QueryPlans implements AutoCloseable {

    private final String url;
    private final String user;
    /** The PostgreSQL schema, or null on SQLite. */
    private final String schema;

    private QueryPlans(String url, String user, String schema) {
        this.url = url;
        this.user = user;
        this.schema = schema;
    }

    /** A freshly migrated, empty SQLite store in {@code dir}. */
    public static QueryPlans migratedStoreIn(Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("plan.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        return new QueryPlans(url, null, null);
    }

    /**
     * A freshly migrated, empty schema of its own on the test PostgreSQL
     * ({@link PostgresStoreProfile#URL}), whose tables are never analysed: autovacuum is off for them.
     */
    public static QueryPlans migratedPostgresSchema() throws SQLException {
        String schema = PostgresStoreProfile.newSchemaName("charon_plan_");
        String url = PostgresStoreProfile.URL + "?currentSchema=" + schema;
        Flyway.configure().dataSource(url, PostgresStoreProfile.USER, "").schemas(schema)
                .locations("classpath:db/postgresql").load().migrate();
        QueryPlans plans = new QueryPlans(url, PostgresStoreProfile.USER, schema);
        plans.run("ALTER TABLE jobs SET (autovacuum_enabled = false)",
                "ALTER TABLE job_dependencies SET (autovacuum_enabled = false)");
        return plans;
    }

    /** Runs {@code statements} in order, each committed. */
    public void run(String... statements) throws SQLException {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    /** The steps of {@code query}'s plan; its parameters, if any, are bound to 0 (now, on PostgreSQL) and 32. */
    public List<String> of(String query) throws SQLException {
        return of(List.of(), query);
    }

    /**
     * The steps of {@code query}'s plan after {@code settings} ran in the same transaction, as
     * the service runs them around its selections.
     */
    public List<String> of(List<String> settings, String query) throws SQLException {
        return of(settings, query, 32);
    }

    /** As {@link #of(List, String)}, with {@code limit} bound to the second parameter. */
    public List<String> of(List<String> settings, String query, int limit) throws SQLException {
        boolean postgres = schema != null;
        List<String> steps = new ArrayList<>();
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String setting : settings) {
                    statement.execute(setting);
                }
            }
            // PostgreSQL's driver knows no numbered parameters: each use of one becomes a parameter of its own
            String explained = postgres ? "EXPLAIN (COSTS OFF) " + query.replaceAll("\\?\\d", "?")
                    : "EXPLAIN QUERY PLAN " + query;
            try (PreparedStatement explain = connection.prepareStatement(explained)) {
                if (postgres) {
                    Matcher numbered = Pattern.compile("\\?(\\d)").matcher(query);
                    for (int at = 1; numbered.find(); at++) {
                        if (numbered.group(1).equals("1")) {
                            explain.setTimestamp(at, Timestamp.from(Instant.now()));
                        } else {
                            explain.setInt(at, limit);
                        }
                    }
                } else if (explain.getParameterMetaData().getParameterCount() > 0) {
                    explain.setLong(1, 0);
                    explain.setInt(2, limit);
                }
                try (ResultSet rows = explain.executeQuery()) {
                    while (rows.next()) {
                        steps.add(postgres ? rows.getString(1) : rows.getString("detail"));
                    }
                }
            }
            connection.rollback();
        }
        return steps;
    }

    /** The value of the setting {@code name} after {@code statements} ran in one transaction. */
    public String settingAfter(List<String> statements, String name) throws SQLException {
        return setting(statements, name, false);
    }

    /** The value of the setting {@code name} on the same connection, after {@code statements} ran in a committed transaction. */
    public String settingAfterCommit(List<String> statements, String name) throws SQLException {
        return setting(statements, name, true);
    }

    private String setting(List<String> statements, String name, boolean commitFirst) throws SQLException {
        try (Connection connection = connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (String sql : statements) {
                    statement.execute(sql);
                }
                if (commitFirst) {
                    connection.commit();
                }
                try (ResultSet value = statement.executeQuery("SELECT current_setting('" + name + "')")) {
                    value.next();
                    return value.getString(1);
                } finally {
                    connection.rollback();
                }
            }
        }
    }

    /** A new connection to the store (on PostgreSQL, with the schema as its search path). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, user, user == null ? null : "");
    }

    /** Drops the PostgreSQL schema; a SQLite store stays in its directory. */
    @Override
    public void close() throws SQLException {
        if (schema != null) {
            try (Connection connection = DriverManager.getConnection(PostgresStoreProfile.URL, user, "");
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
