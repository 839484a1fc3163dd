package io.charon.jobs.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Plain statements on a connection of a test's own, into the schema packaged replicas share. */
public final class SchemaQueries {

    private SchemaQueries() {
    }

    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** The single number {@code sql} selects. */
    public static long count(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }

    public static void update(Connection db, String sql) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Every row {@code sql} selects, fetched a few thousand at a time. */
    public static void query(Connection db, String sql, RowReader reader) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.setFetchSize(2000);
            try (ResultSet rows = statement.executeQuery(sql)) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }
}
