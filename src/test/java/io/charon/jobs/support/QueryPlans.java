package io.charon.jobs.support;

import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** SQLite's plan for the service's own queries, on a store migrated by the service's own migrations. */
public final class QueryPlans {

    private final String url;

    private QueryPlans(String url) {
        this.url = url;
    }

    /** A freshly migrated, empty store in {@code dir}. */
    public static QueryPlans migratedStoreIn(Path dir) {
        String url = "jdbc:sqlite:" + dir.resolve("plan.db");
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration").load().migrate();
        return new QueryPlans(url);
    }

    /** The steps of {@code query}'s plan; its parameters, if any, are bound to 0 and 32. */
    public List<String> of(String query) throws SQLException {
        List<String> steps = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url);
             PreparedStatement explain = connection.prepareStatement("EXPLAIN QUERY PLAN " + query)) {
            if (explain.getParameterMetaData().getParameterCount() > 0) {
                explain.setLong(1, 0);
                explain.setInt(2, 32);
            }
            try (ResultSet rows = explain.executeQuery()) {
                while (rows.next()) {
                    steps.add(rows.getString("detail"));
                }
            }
        }
        return steps;
    }
}
