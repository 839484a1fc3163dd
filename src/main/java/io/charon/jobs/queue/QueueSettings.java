package io.charon.jobs.queue;

import io.charon.jobs.config.QueuesConfig;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The settings of named queues: the configuration's, overridden by those set at run time (stored
 * in {@code queues}, so every replica reads them). Claims read a copy held here, refreshed at
 * every dispatch interval and at once after a change made through this instance: a change made
 * elsewhere applies here within one interval.
 */
@ApplicationScoped
public class QueueSettings {

    /** A queue's settings; {@code maxConcurrent} null when it has no cap of its own. */
    public record Setting(String name, Integer maxConcurrent, boolean paused) {

        /** Whether claims must look at this queue at all. */
        boolean restricts() {
            return paused || maxConcurrent != null;
        }
    }

    private final QueuesConfig config;
    private final Store store;
    private volatile Map<String, Setting> current = Map.of();

    public QueueSettings(QueuesConfig config, Store store) {
        this.config = config;
        this.store = store;
        config.queues().forEach((name, queue) -> {
            if (queue.maxConcurrent().isPresent() && queue.maxConcurrent().getAsInt() < 1) {
                // 0 would pause the queue under another name; pausing has a setting of its own
                throw new IllegalArgumentException("charon.queues." + name + ".max-concurrent must be at least 1, not "
                        + queue.maxConcurrent().getAsInt());
            }
        });
    }

    /** Every queue with settings of its own, by name. */
    public Map<String, Setting> all() {
        return current;
    }

    /** The queues that are paused or capped: those a claim must check. */
    Map<String, Setting> restricted() {
        Map<String, Setting> restricted = new TreeMap<>();
        current.forEach((name, setting) -> {
            if (setting.restricts()) {
                restricted.put(name, setting);
            }
        });
        return restricted;
    }

    /** A change of a queue's settings: {@code paused} null keeps it; {@code maxConcurrent} applies when {@code capGiven}. */
    public record Change(Boolean paused, boolean capGiven, Integer maxConcurrent) {
    }

    /** A queue's settings before and after a change. */
    public record Changed(Setting before, Setting after) {
    }

    /**
     * Stores a change of a queue's settings, for every replica, and applies it here at once. The
     * fields it leaves out keep their stored values, even when another replica changed them a
     * moment ago (this one's copy may not know yet).
     */
    @SuppressWarnings("unchecked")
    public Changed change(String name, Change change) {
        Changed changed = QuarkusTransaction.requiringNew().call(() -> {
            var session = store.session();
            List<Object[]> rows = session.createNativeQuery("SELECT max_concurrent, paused FROM queues WHERE name = ?1")
                    .setParameter(1, name).getResultList();
            Setting before = rows.isEmpty() ? configured(name)
                    : new Setting(name, rows.get(0)[0] == null ? null : ((Number) rows.get(0)[0]).intValue(),
                    isTrue(rows.get(0)[1]));
            Setting after = new Setting(name, change.capGiven() ? change.maxConcurrent() : before.maxConcurrent(),
                    change.paused() == null ? before.paused() : change.paused());
            session.createNativeQuery("""
                            INSERT INTO queues (name, max_concurrent, paused) VALUES (?1, ?2, ?3)
                            ON CONFLICT (name) DO UPDATE SET
                                max_concurrent = CASE WHEN ?4 THEN excluded.max_concurrent ELSE queues.max_concurrent END,
                                paused = CASE WHEN ?5 THEN excluded.paused ELSE queues.paused END""")
                    .setParameter(1, name).setParameter(2, after.maxConcurrent()).setParameter(3, after.paused())
                    .setParameter(4, change.capGiven()).setParameter(5, change.paused() != null).executeUpdate();
            return new Changed(before, after);
        });
        refresh();
        return changed;
    }

    /** A queue's settings as configured; those of a queue without any when it has none. */
    private Setting configured(String name) {
        QueuesConfig.QueueConfig queue = config.queues().get(name);
        return queue == null ? new Setting(name, null, false) : new Setting(name,
                queue.maxConcurrent().isPresent() ? queue.maxConcurrent().getAsInt() : null, queue.paused());
    }

    private static boolean isTrue(Object value) {
        return value instanceof Boolean flag ? flag : ((Number) value).intValue() != 0;
    }

    @Scheduled(every = "${charon.jobs.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-queue-settings")
    void refresh() {
        Map<String, Setting> settings = new TreeMap<>();
        config.queues().keySet().forEach(name -> settings.put(name, configured(name)));
        try {
            StoreReads.forEachRow(store.dataSource(), "SELECT name, max_concurrent, paused FROM queues", List.of(), row -> {
                String name = row.getString(1);
                int cap = row.getInt(2);
                Integer maxConcurrent = row.wasNull() ? null : cap;
                settings.put(name, new Setting(name, maxConcurrent, row.getBoolean(3)));
            });
        } catch (SQLException e) {
            if (!current.isEmpty()) {
                return; // the store cannot be read: the settings held stay, the next interval tries again
            }
        }
        current = Map.copyOf(settings);
    }
}
