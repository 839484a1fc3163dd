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

    /** Stores a queue's new settings, for every replica, and applies them here at once. */
    public Setting change(Setting setting) {
        QuarkusTransaction.requiringNew().run(() -> store.session().createNativeQuery("""
                        INSERT INTO queues (name, max_concurrent, paused) VALUES (?1, ?2, ?3)
                        ON CONFLICT (name) DO UPDATE SET max_concurrent = excluded.max_concurrent, paused = excluded.paused""")
                .setParameter(1, setting.name()).setParameter(2, setting.maxConcurrent())
                .setParameter(3, setting.paused()).executeUpdate());
        refresh();
        return current.get(setting.name());
    }

    @Scheduled(every = "${charon.jobs.dispatch-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-queue-settings")
    void refresh() {
        Map<String, Setting> settings = new TreeMap<>();
        config.queues().forEach((name, queue) -> settings.put(name, new Setting(name,
                queue.maxConcurrent().isPresent() ? queue.maxConcurrent().getAsInt() : null, queue.paused())));
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
