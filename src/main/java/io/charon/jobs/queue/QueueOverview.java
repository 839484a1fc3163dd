package io.charon.jobs.queue;

import io.charon.jobs.job.JobSpec;
import io.charon.jobs.store.Store;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Every named queue as it stands: jobs waiting in it and running from it, with its settings. */
@ApplicationScoped
public class QueueOverview {

    /** A queue: {@code depth} jobs queued, {@code running} running; {@code maxConcurrent} null when uncapped. */
    public record QueueState(String name, long depth, long running, Integer maxConcurrent, boolean paused) {
    }

    private final Store store;
    private final QueueSettings settings;

    public QueueOverview(Store store, QueueSettings settings) {
        this.store = store;
        this.settings = settings;
    }

    /** The default queue, every queue with settings, and every queue a job waits in or runs from, by name. */
    @ActivateRequestContext
    @SuppressWarnings("unchecked")
    public List<QueueState> list() {
        Map<String, long[]> counts = new TreeMap<>();
        counts.put(JobSpec.DEFAULT_QUEUE, new long[2]);
        settings.all().keySet().forEach(name -> counts.put(name, new long[2]));
        List<Object[]> rows = store.session().createNativeQuery("""
                SELECT queue, status, COUNT(*) FROM jobs WHERE status IN ('queued', 'running') GROUP BY queue, status""")
                .getResultList();
        for (Object[] row : rows) {
            counts.computeIfAbsent((String) row[0], name -> new long[2])["queued".equals(row[1]) ? 0 : 1] =
                    ((Number) row[2]).longValue();
        }
        return counts.entrySet().stream().map(queue -> state(queue.getKey(), queue.getValue())).toList();
    }

    /** One queue, whether or not anything uses it yet. */
    public QueueState get(String name) {
        return list().stream().filter(queue -> queue.name().equals(name)).findFirst()
                .orElseGet(() -> state(name, new long[2]));
    }

    private QueueState state(String name, long[] counts) {
        QueueSettings.Setting setting = settings.all().get(name);
        return new QueueState(name, counts[0], counts[1], setting == null ? null : setting.maxConcurrent(),
                setting != null && setting.paused());
    }
}
