package io.charon.jobs.security;

import io.charon.jobs.job.GroupCommit;
import io.charon.jobs.store.InsertsAtCommit.Insert;
import io.charon.jobs.store.Store;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The audit trail ({@code audit_log}). Changes to jobs are recorded in the transaction that makes
 * them ({@link #recordInTransaction}), so a job never exists without its entry; other actions are
 * written by a group-commit writer of their own. Entries about refused requests are written
 * without making the request wait, and a flood of them is capped so that it cannot grow the
 * writer's queue without end.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final int BATCH = 256;
    /** Most refused-request entries waiting for the writer; past this they are counted, not written. */
    static final int MAX_PENDING_REFUSALS = 10_000;
    /** Entries are stamped before they are written. */
    private static final Insert<AuditEntry> INSERT = new Insert<>(
            "INSERT INTO audit_log (at, principal, action, target, outcome, detail, remote_address) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (insert, entry) -> {
                insert.setTimestamp(1, Timestamp.from(entry.at()));
                insert.setString(2, entry.principal());
                insert.setString(3, entry.action());
                insert.setString(4, entry.target());
                insert.setString(5, entry.outcome());
                insert.setString(6, entry.detail());
                insert.setString(7, entry.remoteAddress());
            });

    private final Store store;
    private final Clock clock;
    private final GroupCommit<AuditEntry, Void> writer;
    private final AtomicInteger pendingRefusals = new AtomicInteger();
    private final Counter dropped;

    public AuditTrail(Store store, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.clock = clock;
        this.dropped = Counter.builder("charon.audit.dropped")
                .description("Entries about refused requests not written because too many were waiting").register(metrics);
        this.writer = new GroupCommit<>("charon-audit", BATCH, batch -> QuarkusTransaction.requiringNew().call(() -> {
            store.session().doWork(connection -> insert(connection, batch));
            return GroupCommit.Written.of(Collections.nCopies(batch.size(), GroupCommit.Result.<Void>of(null)));
        }));
    }

    /** Writes the entry and returns once it is committed. */
    public void record(AuditEntry entry) {
        writer.write(stamped(entry));
    }

    /** Writes the entry soon, without waiting: for refused requests, which may come in floods. */
    public void recordLater(AuditEntry entry) {
        if (pendingRefusals.incrementAndGet() > MAX_PENDING_REFUSALS) {
            pendingRefusals.decrementAndGet();
            dropped.increment();
            return;
        }
        writer.submit(stamped(entry)).whenComplete((ignored, error) -> {
            pendingRefusals.decrementAndGet();
            if (error != null) {
                LOG.warnf("an audit entry could not be written: %s", error.getMessage());
            }
        });
    }

    /** Writes entries in the caller's transaction, beside the change they report. */
    public void recordInTransaction(List<AuditEntry> entries) {
        if (!entries.isEmpty()) {
            store.session().doWork(connection -> insert(connection, entries));
        }
    }

    private AuditEntry stamped(AuditEntry entry) {
        return entry.at() != null ? entry : entry.at(clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private void insert(Connection connection, List<AuditEntry> entries) throws SQLException {
        INSERT.writeAll(connection, entries.stream().map(this::stamped).toList());
    }

    /** What a listing of the trail is restricted to; null fields do not filter. */
    public record Query(String principal, String action, String target, Long beforeId, int limit) {
    }

    /** Newest first, read outside any transaction. */
    public List<AuditEntry> list(Query query) {
        StringBuilder sql = new StringBuilder("SELECT id, at, principal, action, target, outcome, detail, remote_address"
                + " FROM audit_log WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        Object[][] conditions = {{"principal = ?", query.principal()}, {"action = ?", query.action()},
                {"target = ?", query.target()}, {"id < ?", query.beforeId()}};
        for (Object[] condition : conditions) {
            if (condition[1] != null) {
                sql.append(" AND ").append(condition[0]);
                params.add(condition[1]);
            }
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(query.limit());
        try (Connection connection = store.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                select.setObject(i + 1, params.get(i));
            }
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(rows.getLong(1), rows.getTimestamp(2).toInstant(), rows.getString(3),
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit trail failed: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        writer.close();
    }
}
