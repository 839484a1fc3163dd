package io.charon.jobs.observability;

import io.charon.jobs.job.Priority;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Queued jobs per priority, counted by the store every few seconds (over the claim index, which
 * holds only queued jobs) and served from memory, so that a metrics scrape or a health probe never
 * counts the queue itself.
 */
@ApplicationScoped
public class QueueDepth {

    /** How often the counts are refreshed. */
    static final String REFRESH_EVERY = "5s";
    private static final Logger LOG = Logger.getLogger(QueueDepth.class);

    private final DataSource store;
    private volatile Map<Priority, Long> counts = zeros();

    public QueueDepth(Store store) {
        this.store = store.dataSource();
    }

    @Scheduled(every = REFRESH_EVERY, concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "charon-queue-depth")
    void refresh() {
        Map<Priority, Long> fresh = zeros();
        try {
            StoreReads.forEachRow(store, "SELECT priority, COUNT(*) FROM jobs WHERE status = 'queued' GROUP BY priority",
                    List.of(), row -> fresh.put(Priority.ofValue(row.getInt(1)), row.getLong(2)));
            counts = Collections.unmodifiableMap(fresh);
        } catch (SQLException | RuntimeException e) {
            // keep the last counts; the store's own readiness check reports the store's trouble
            LOG.debugf("could not count the queue: %s", e.getMessage());
        }
    }

    public long queued(Priority priority) {
        return counts.get(priority);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private static Map<Priority, Long> zeros() {
        Map<Priority, Long> zeros = new EnumMap<>(Priority.class);
        for (Priority priority : Priority.values()) {
            zeros.put(priority, 0L);
        }
        return zeros;
    }
}
