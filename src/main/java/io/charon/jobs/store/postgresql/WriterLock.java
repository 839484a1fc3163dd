package io.charon.jobs.store.postgresql;

import io.agroal.api.AgroalPoolInterceptor;
import io.charon.jobs.store.Store;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Every write transaction of every replica takes the store's writer lock
 * ({@code pg_advisory_xact_lock}) before its first statement; the lock goes with the commit or
 * rollback.
 *
 * <p>Why: the event log ({@code job_events}) is read in id order by every replica's event feed,
 * by SSE clients resuming with {@code Last-Event-ID} and by the broker relay. With concurrent
 * writers, PostgreSQL hands out identity values in the order transactions ask for them, not the
 * order they commit, so a reader could pass id 11 before id 10 commits and never see 10. Under
 * the writer lock ids are handed out in commit order, as on SQLite, whose write lock has the same
 * effect. It also makes the cluster-wide {@code max-concurrent-jobs} count exact and can never
 * deadlock (it is always the first lock a transaction takes). Plain reads outside transactions
 * (listings, statistics, the feed) do not take it. The cost is that write transactions of all
 * replicas run one at a time (the service's JTA transactions; Flyway's migrations do not take
 * it); they are short and batched (group commits, batched claims), and docs/architecture.md says
 * how to narrow the lock should the store ever become the limit.
 *
 * <p>How: the PostgreSQL pool calls this when it lends a connection. Within a JTA transaction
 * that is once per transaction, when its first statement needs a connection: the pool has
 * already enlisted the connection (autocommit off), and later requests of the same transaction
 * get the same connection without coming here. Connections lent outside a JTA transaction (plain
 * reads, Flyway's own JDBC transactions, the readiness probe) are left alone.
 */
@DataSource(Store.POSTGRESQL)
@ApplicationScoped
public class WriterLock implements AgroalPoolInterceptor {

    /** Advisory lock key of the writer lock: "charon" in ASCII. */
    public static final long WRITER_LOCK = 0x636861726f6eL;

    private final TransactionManager transactions;

    public WriterLock(TransactionManager transactions) {
        this.transactions = transactions;
    }

    @Override
    public void onConnectionAcquire(Connection connection) {
        try {
            if (!connection.getAutoCommit() && inServiceTransaction()) {
                try (Statement lock = connection.createStatement()) {
                    lock.execute("SELECT pg_advisory_xact_lock(" + WRITER_LOCK + ")");
                }
            }
        } catch (SQLException e) {
            // the pool hands the connection back; the transaction's statement fails with this
            throw new IllegalStateException("cannot take the store's writer lock: " + e.getMessage(), e);
        }
    }

    /** Whether the calling thread runs a JTA transaction: the service's own writes all do. */
    private boolean inServiceTransaction() throws SQLException {
        try {
            return transactions.getStatus() != Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            throw new SQLException("cannot read the transaction status", e);
        }
    }
}
