package io.charon.jobs.security;

import io.charon.jobs.commit.GroupCommit;
import io.charon.jobs.store.InsertsAtCommit.Insert;
import io.charon.jobs.store.RolledBackByConflict;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The audit trail ({@code audit_log}). Changes to jobs are recorded in the transaction that makes
 * them ({@link #recordInTransaction}), so a job never exists without its entry; other actions are
 * written by a group-commit writer of their own. Refused requests are written without making the
 * request wait, and counted rather than written one by one: one row per action, outcome, source
 * address, principal and minute (of the injected clock), whose {@code count} grows with each
 * request. They are summed in memory until the writer's next batch, which adds the sums to their
 * rows with an upsert on {@code aggregate_key}, so a flood from one source adds a row a minute
 * whatever its rate, across batches, restarts and replicas.
 */
@ApplicationScoped
public class AuditTrail {

    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    static final int BATCH = 256;
    /** Most rows of refused requests waiting for the writer; requests for further rows are only counted in a metric. */
    static final int MAX_PENDING_REFUSALS = 10_000;
    /** Queued to the writer to have it write the refused requests summed so far. */
    private static final AuditEntry WRITE_REFUSALS = new AuditEntry(0, null, "-", "-", null, "-", null, null, 0);
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
    /** Adds a minute's refused requests to the row that counts them, or makes that row. */
    private static final Insert<Refusals> ADD_REFUSALS = new Insert<>(
            "INSERT INTO audit_log (at, principal, action, target, outcome, detail, remote_address, count, aggregate_key)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (aggregate_key) DO UPDATE SET count = audit_log.count + excluded.count",
            (insert, refusals) -> {
                AuditEntry first = refusals.first();
                insert.setTimestamp(1, Timestamp.from(first.at()));
                insert.setString(2, first.principal());
                insert.setString(3, first.action());
                insert.setString(4, first.target());
                insert.setString(5, first.outcome());
                insert.setString(6, first.detail());
                insert.setString(7, first.remoteAddress());
                insert.setLong(8, refusals.count());
                insert.setString(9, refusals.key().text());
            });

    private final Store store;
    private final Clock clock;
    private final GroupCommit<AuditEntry, Void> writer;
    private final ConcurrentHashMap<RefusalKey, Refusals> pendingRefusals = new ConcurrentHashMap<>();
    private final AtomicBoolean refusalsQueued = new AtomicBoolean();
    private final Counter dropped;

    public AuditTrail(Store store, Clock clock, MeterRegistry metrics) {
        this.store = store;
        this.clock = clock;
        this.dropped = Counter.builder("charon.audit.dropped")
                .description("Refused requests left out of the audit trail because too many of its rows were waiting"
                        + " to be written").register(metrics);
        this.writer = new GroupCommit<>("charon-audit", BATCH, this::write);
    }

    /** Which row counts a refused request: its action, outcome, source, principal and minute. */
    record RefusalKey(Instant minute, String action, String outcome, String remoteAddress, String principal) {
        /** {@code aggregate_key}: the principal last, as the only part that may hold any character. */
        String text() {
            return String.join("|", minute.toString(), action, outcome, String.valueOf(remoteAddress), principal);
        }
    }

    /** Refused requests of one key not yet written: the first of them, and how many. */
    record Refusals(RefusalKey key, AuditEntry first, long count) {
        Refusals plus(Refusals more) {
            return new Refusals(key, first, count + more.count);
        }
    }

    private GroupCommit.Written<Void> write(List<AuditEntry> batch) {
        List<AuditEntry> entries = batch.stream().filter(entry -> entry != WRITE_REFUSALS).toList();
        // taken before the transaction: what arrives from now on is queued for the next batch
        List<Refusals> refusals = entries.size() < batch.size() ? takeRefusals() : List.of();
        try {
            // the refusal counts are added to rows other replicas add to as well: two such batches may deadlock
            RolledBackByConflict.retrying("a write of the audit trail", () -> QuarkusTransaction.requiringNew()
                    .run(() -> store.session().doWork(connection -> {
                        insert(connection, entries);
                        if (!refusals.isEmpty()) {
                            ADD_REFUSALS.writeAll(connection, refusals);
                        }
                    })));
        } catch (RuntimeException e) {
            long lost = refusals.stream().mapToLong(Refusals::count).sum();
            if (lost > 0) {
                dropped.increment(lost);
                LOG.warnf("%d refused requests could not be written to the audit trail: %s", lost, e.getMessage());
            }
            throw e;
        }
        return GroupCommit.Written.of(Collections.nCopies(batch.size(), GroupCommit.Result.<Void>of(null)));
    }

    private List<Refusals> takeRefusals() {
        refusalsQueued.set(false); // before taking: a request summed after this queues the next write
        List<Refusals> taken = new ArrayList<>();
        for (RefusalKey key : pendingRefusals.keySet()) {
            Refusals refusals = pendingRefusals.remove(key);
            if (refusals != null) {
                taken.add(refusals);
            }
        }
        return taken;
    }

    /** Writes the entry and returns once it is committed. */
    public void record(AuditEntry entry) {
        writer.write(stamped(entry));
    }

    /**
     * Counts a refused request and writes it soon, without waiting: they may come in floods. Each
     * is added to the row of its action, outcome, source, principal and minute.
     */
    public void recordLater(AuditEntry entry) {
        AuditEntry refused = stamped(entry);
        RefusalKey key = new RefusalKey(refused.at().truncatedTo(ChronoUnit.MINUTES), refused.action(), refused.outcome(),
                refused.remoteAddress(), refused.principal());
        if (pendingRefusals.size() >= MAX_PENDING_REFUSALS && !pendingRefusals.containsKey(key)) {
            dropped.increment();
            return;
        }
        pendingRefusals.merge(key, new Refusals(key, refused, 1), Refusals::plus);
        if (refusalsQueued.compareAndSet(false, true)) {
            writer.submit(WRITE_REFUSALS);
        }
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
        if (!entries.isEmpty()) {
            INSERT.writeAll(connection, entries.stream().map(this::stamped).toList());
        }
    }

    /** What a listing of the trail is restricted to; null fields do not filter. */
    public record Query(String principal, String action, String target, Long beforeId, int limit) {
    }

    /** Newest first, read outside any transaction. */
    public List<AuditEntry> list(Query query) {
        StringBuilder sql = new StringBuilder("SELECT id, at, principal, action, target, outcome, detail, remote_address,"
                + " count FROM audit_log WHERE 1 = 1");
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
                            rows.getString(4), rows.getString(5), rows.getString(6), rows.getString(7), rows.getString(8),
                            rows.getLong(9)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit trail failed: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void stop() {
        if (!pendingRefusals.isEmpty()) {
            writer.submit(WRITE_REFUSALS); // written before the writer stops
        }
        writer.close();
    }
}
