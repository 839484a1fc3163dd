package io.charon.jobs.config;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import org.postgresql.Driver;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.Set;

/**
 * The PostgreSQL driver, with every write transaction of every replica taking the store's
 * writer lock ({@code pg_advisory_xact_lock}) before its first statement; the lock goes with the
 * commit or rollback.
 *
 * <p>Why: the event log ({@code job_events}) is read in id order by every replica's event feed,
 * by SSE clients resuming with {@code Last-Event-ID} and by the broker relay. With concurrent
 * writers, PostgreSQL hands out identity values in the order transactions ask for them, not the
 * order they commit, so a reader could pass id 11 before id 10 commits and never see 10. Under
 * the writer lock ids are handed out in commit order, as on SQLite, whose write lock has the same
 * effect. It also makes the cluster-wide {@code max-concurrent-jobs} count exact and can never
 * deadlock (it is always the first lock a transaction takes). Plain reads outside transactions
 * (listings, statistics, the feed) do not take it. The cost is that write transactions of all
 * replicas run one at a time (the service's JTA transactions; Flyway's migrations do not take it); they are short and batched (group commits, batched claims), and
 * docs/architecture.md says how to narrow the lock should the store ever become the limit.
 */
@RegisterForReflection
public class PostgresDriver extends Driver {

    /** Advisory lock key of the writer lock: "charon" in ASCII. */
    public static final long WRITER_LOCK = 0x636861726f6eL;

    private static final Set<String> STATEMENT_FACTORIES = Set.of("createStatement", "prepareStatement", "prepareCall");

    @Override
    public Connection connect(String url, Properties info) throws SQLException {
        Connection connection = super.connect(url, info);
        if (connection == null) {
            return null;
        }
        return (Connection) Proxy.newProxyInstance(PostgresDriver.class.getClassLoader(), new Class<?>[]{Connection.class},
                new WriterLocking(connection));
    }

    /**
     * Whether the calling thread runs a JTA transaction: the service's own writes all do. Flyway
     * migrates with plain JDBC transactions, two at once on two connections, before the service
     * writes anything; they must not queue for the lock behind each other.
     */
    private static boolean inServiceTransaction() throws SQLException {
        try {
            return com.arjuna.ats.jta.TransactionManager.transactionManager().getStatus() != Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            throw new SQLException("cannot read the transaction status", e);
        }
    }

    /** Takes the writer lock lazily, at the first statement of each transaction. */
    private static final class WriterLocking implements InvocationHandler {

        private final Connection connection;
        private boolean lockDue;

        WriterLocking(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            String name = method.getName();
            if (lockDue && STATEMENT_FACTORIES.contains(name)) {
                lockDue = false;
                try (Statement lock = connection.createStatement()) {
                    lock.execute("SELECT pg_advisory_xact_lock(" + WRITER_LOCK + ")");
                }
            }
            Object result;
            try {
                result = method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            boolean endsOrStarts = name.equals("setAutoCommit") || (args == null && (name.equals("commit") || name.equals("rollback")));
            if (endsOrStarts) {
                // a transaction of the service starts, or the next one begins after a commit or rollback
                lockDue = !connection.getAutoCommit() && inServiceTransaction();
            }
            return result;
        }
    }
}
