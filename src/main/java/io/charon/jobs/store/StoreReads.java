package io.charon.jobs.store;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Plain queries of the store, outside any transaction: in WAL mode they take no lock, while a
 * transaction here would take SQLite's write lock (the store runs {@code transaction_mode=IMMEDIATE}).
 */
public final class StoreReads {

    private StoreReads() {
    }

    @FunctionalInterface
    public interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    /** Readies a statement before it runs, beyond binding its parameters. */
    @FunctionalInterface
    public interface StatementSetup {
        void prepare(PreparedStatement statement) throws SQLException;
    }

    /** No setup: the statement as the driver prepares it. */
    private static final StatementSetup AS_PREPARED = statement -> {
    };

    public static void forEachRow(DataSource store, String sql, List<?> params, RowReader reader) throws SQLException {
        forEachRow(store, sql, params, AS_PREPARED, reader);
    }

    public static void forEachRow(DataSource store, String sql, List<?> params, StatementSetup setup, RowReader reader)
            throws SQLException {
        try (Connection connection = store.getConnection()) {
            forEachRow(connection, sql, params, setup, reader);
        }
    }

    public static void forEachRow(Connection connection, String sql, List<?> params, RowReader reader) throws SQLException {
        forEachRow(connection, sql, params, AS_PREPARED, reader);
    }

    public static void forEachRow(Connection connection, String sql, List<?> params, StatementSetup setup,
                                  RowReader reader) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            setup.prepare(statement);
            for (int i = 0; i < params.size(); i++) {
                statement.setObject(i + 1, params.get(i));
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    reader.read(rows);
                }
            }
        }
    }
}
