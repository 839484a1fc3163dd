package io.charon.jobs.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rows a transaction appends to a table, written together as one JDBC batch per table just
 * before it commits. For append-only rows whose ids the store assigns (events, attempts):
 * Hibernate would write each with its own statement and read its key back, which cost the
 * drain a round trip or two per row. Nothing may read such a row back in the transaction
 * that adds it, and the rows it references must already be written: the one place that
 * creates jobs flushes them before recording their first events.
 */
@ApplicationScoped
public class InsertsAtCommit {

    /** Binds one row's values to the insert statement. */
    @FunctionalInterface
    public interface Binder<T> {
        void bind(PreparedStatement insert, T row) throws SQLException;
    }

    /** An insert statement and how a row fills it. */
    public record Insert<T>(String sql, Binder<T> binder) {

        /** Writes {@code rows} on {@code connection} as one JDBC batch. */
        public void writeAll(Connection connection, List<? extends T> rows) throws SQLException {
            try (PreparedStatement insert = connection.prepareStatement(sql)) {
                for (T row : rows) {
                    binder.bind(insert, row);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    private final Store store;
    private final TransactionSynchronizationRegistry transactions;

    public InsertsAtCommit(Store store, TransactionSynchronizationRegistry transactions) {
        this.store = store;
        this.transactions = transactions;
    }

    /** Adds {@code row} to the current transaction's batch for {@code insert}. */
    public <T> void add(Insert<T> insert, T row) {
        pending().computeIfAbsent(insert, i -> new ArrayList<>()).add(row);
    }

    /** This transaction's rows by insert; the first call arranges for them to be written before the commit. */
    @SuppressWarnings("unchecked")
    private Map<Insert<?>, List<Object>> pending() {
        Map<Insert<?>, List<Object>> rows = (Map<Insert<?>, List<Object>>) transactions.getResource(InsertsAtCommit.class);
        if (rows == null) {
            Map<Insert<?>, List<Object>> fresh = new LinkedHashMap<>();
            transactions.putResource(InsertsAtCommit.class, fresh);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    write(fresh);
                }

                @Override
                public void afterCompletion(int status) {
                }
            });
            rows = fresh;
        }
        return rows;
    }

    /**
     * Writes on the transaction's own connection (the pool hands out the one enlisted in it),
     * closing the handle again before the pool checks for handles left open at commit.
     */
    private void write(Map<Insert<?>, List<Object>> rows) {
        try (Connection connection = store.dataSource().getConnection()) {
            for (Map.Entry<Insert<?>, List<Object>> table : rows.entrySet()) {
                writeAll(table.getKey(), connection, table.getValue());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write the rows of this transaction: " + e.getMessage(), e);
        }
    }

    /** The rows were added for this very insert, so they are its rows. */
    @SuppressWarnings("unchecked")
    private static <T> void writeAll(Insert<T> insert, Connection connection, List<Object> rows) throws SQLException {
        insert.writeAll(connection, (List<? extends T>) rows);
    }
}
