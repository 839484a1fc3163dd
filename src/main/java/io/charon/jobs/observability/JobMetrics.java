package io.charon.jobs.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.charon.jobs.dispatch.WorkerPool;
import io.charon.jobs.job.JobEventType;
import io.charon.jobs.lifecycle.RunRecorder;
import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.JobType;
import io.charon.jobs.job.Priority;
import io.charon.jobs.job.RecordedEvent;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * The service's Prometheus metrics ({@code /q/metrics}). Job counters and histograms follow the
 * stored events ({@link RecordedEvent}, after their commit), so they count what the store holds
 * whoever made the change. The observer only queues an event; a metrics thread reads what the
 * events do not carry (a job's type, priority, run duration, when it became due) from the store,
 * a few hundred jobs per query, so that metrics never slow down a commit. Gauges read values
 * already in memory (the queue depth is counted every few seconds by {@link QueueDepth}).
 * Tags are low-cardinality: type, priority, status.
 */
@Startup
@ApplicationScoped
public class JobMetrics {

    private static final Logger LOG = Logger.getLogger(JobMetrics.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Events waiting for the metrics thread; past this, events are dropped (and a warning logged). */
    static final int BACKLOG = 100_000;
    static final long RESOLVE_EVERY_MILLIS = 200;
    private static final int IDS_PER_QUERY = 500;
    private static final Duration[] DURATION_BUCKETS = seconds(1, 2, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600);
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private final DataSource store;
    private final Map<String, Counter> submitted = new HashMap<>();
    private final Map<String, Counter> finished = new HashMap<>();
    private final Map<String, Timer> durations = new HashMap<>();
    private final Timer dispatchLatency;
    private final Counter retries;
    private final Counter orphansRescued;
    private final BlockingQueue<RecordedEvent> backlog = new ArrayBlockingQueue<>(BACKLOG);
    private final AtomicBoolean warnedFull = new AtomicBoolean();
    private final ScheduledExecutorService resolver;

    public JobMetrics(MeterRegistry registry, Store store, WorkerPool pool, QueueDepth queue) {
        this.store = store.dataSource();
        for (JobType type : JobType.values()) {
            for (Priority priority : Priority.values()) {
                submitted.put(key(type.wireName(), priority.wireName()), Counter.builder("charon.jobs.submitted")
                        .description("Jobs stored by submissions and relaunches")
                        .tags("type", type.wireName(), "priority", priority.wireName()).register(registry));
            }
            for (JobStatus status : JobStatus.TERMINAL) {
                String key = key(status.wireName(), type.wireName());
                finished.put(key, Counter.builder("charon.jobs.finished")
                        .description("Jobs that reached a final status")
                        .tags("status", status.wireName(), "type", type.wireName()).register(registry));
                durations.put(key, Timer.builder("charon.job.duration")
                        .description("Duration of the last run of finished jobs that ran")
                        .tags("status", status.wireName(), "type", type.wireName())
                        .serviceLevelObjectives(DURATION_BUCKETS).register(registry));
            }
        }
        dispatchLatency = Timer.builder("charon.dispatch.latency")
                .description("From the moment a job could run (queued, retry delay passed, dependencies completed)"
                        + " to its start")
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
        retries = Counter.builder("charon.job.retries").description("Runs that were retried (failed, or orphaned"
                + " under the requeue policy)").register(registry);
        orphansRescued = Counter.builder("charon.orphans.rescued")
                .description("Runs whose owner was gone, settled by the orphan policy").register(registry);
        for (Priority priority : Priority.values()) {
            Gauge.builder("charon.queue.depth", queue, q -> q.queued(priority))
                    .description("Queued jobs, counted every " + QueueDepth.REFRESH_EVERY)
                    .tag("priority", priority.wireName()).strongReference(true).register(registry);
        }
        Gauge.builder("charon.jobs.running", pool, WorkerPool::activeJobs)
                .description("Jobs running on this instance").strongReference(true).register(registry);
        Gauge.builder("charon.workers", pool, WorkerPool::workerCount)
                .description("Worker threads of this instance (0: paused)").strongReference(true).register(registry);
        resolver = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "charon-metrics");
            thread.setDaemon(true);
            return thread;
        });
        resolver.scheduleWithFixedDelay(this::resolveBacklog, RESOLVE_EVERY_MILLIS, RESOLVE_EVERY_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) RecordedEvent event) {
        boolean retried = JobEventType.RETRIED.wireName().equals(event.type());
        if (retried) {
            retries.increment();
        }
        if ((retried || JobEventType.FAILED.wireName().equals(event.type())) && event.message() != null
                && event.message().startsWith(RunRecorder.ORPHANED)) {
            orphansRescued.increment();
        }
        boolean needsJob = JobEventType.CREATED.wireName().equals(event.type())
                || JobEventType.STARTED.wireName().equals(event.type()) || event.isTerminal();
        if (needsJob && !backlog.offer(event) && warnedFull.compareAndSet(false, true)) {
            LOG.warnf("metrics: more than %d events waiting; some are not counted", BACKLOG);
        }
    }

    @PreDestroy
    void stop() {
        resolver.shutdownNow();
    }

    /** Counts the queued events, reading what they need from the store in batches. */
    void resolveBacklog() {
        try {
            List<RecordedEvent> events = new ArrayList<>();
            while (backlog.drainTo(events, IDS_PER_QUERY) > 0) {
                resolve(events);
                events.clear();
            }
        } catch (SQLException | RuntimeException e) {
            // the events of this batch go uncounted; a store that fails shows in the readiness probe
            LOG.debugf("metrics: could not read the jobs of recent events: %s", e.getMessage());
        }
    }

    private void resolve(List<RecordedEvent> events) throws SQLException {
        try (Connection connection = store.getConnection()) {
            Map<String, JobFacts> jobs = jobFacts(connection, events.stream().map(RecordedEvent::jobId).distinct().toList());
            List<RecordedEvent> starts = events.stream()
                    .filter(e -> JobEventType.STARTED.wireName().equals(e.type())).toList();
            Map<String, Instant> due = starts.isEmpty() ? Map.of() : dueTimes(connection, starts);
            for (RecordedEvent event : events) {
                JobFacts job = jobs.get(event.jobId());
                if (job == null) {
                    continue; // deleted since (retention)
                }
                if (JobEventType.CREATED.wireName().equals(event.type())) {
                    increment(submitted, key(job.type(), job.priority()));
                } else if (JobEventType.STARTED.wireName().equals(event.type())) {
                    Instant dueAt = due.get(event.jobId());
                    if (dueAt != null) {
                        dispatchLatency.record(Duration.between(dueAt, event.timestamp()).isNegative() ? Duration.ZERO
                                : Duration.between(dueAt, event.timestamp()));
                    }
                } else {
                    String key = key(event.status(), job.type());
                    increment(finished, key);
                    Timer timer = durations.get(key);
                    if (timer != null && job.durationMs() != null) {
                        timer.record(Duration.ofMillis(job.durationMs()));
                    }
                }
            }
        }
    }

    /** What the metrics need of a job that does not change once the event happened. */
    private record JobFacts(String type, String priority, Long durationMs) {
    }

    private static Map<String, JobFacts> jobFacts(Connection connection, List<String> ids) throws SQLException {
        Map<String, JobFacts> facts = new HashMap<>();
        StoreReads.forEachRow(connection, "SELECT id, type, priority, duration_ms FROM jobs WHERE id IN (" + placeholders(ids.size()) + ")",
                ids, row -> {
                    String id = row.getString(1);
                    String type = row.getString(2);
                    int priority = row.getInt(3);
                    long duration = row.getLong(4);
                    // wasNull speaks of the column read last: a job cancelled before it ran has no duration
                    Long durationMs = row.wasNull() ? null : duration;
                    facts.put(id, new JobFacts(type, Priority.ofValue(priority).wireName(), durationMs));
                });
        return facts;
    }

    /**
     * When each started job could first have run: the later of the event that put it in the queue
     * (the one just before {@code job.started}; for a retry, its next start), and the completion of
     * its last dependency.
     */
    private static Map<String, Instant> dueTimes(Connection connection, List<RecordedEvent> starts) throws SQLException {
        Map<String, Instant> due = new HashMap<>();
        List<Object> keys = new ArrayList<>();
        starts.forEach(start -> {
            keys.add(start.jobId());
            keys.add(start.seq() - 1);
        });
        String pairs = String.join(", ", Collections.nCopies(starts.size(), "(?, ?)"));
        // joined from a list of keys, so that each is one lookup in the (job_id, seq) index
        StoreReads.forEachRow(connection, "WITH k (job_id, seq) AS (VALUES " + pairs + ") SELECT e.job_id, e.type, e.data, e.created_at"
                + " FROM k JOIN job_events e ON e.job_id = k.job_id AND e.seq = k.seq", keys, row -> {
            Instant queued = row.getTimestamp(4).toInstant();
            Instant nextStart = JobEventType.RETRIED.wireName().equals(row.getString(2)) ? nextStart(row.getString(3)) : null;
            due.put(row.getString(1), nextStart != null && nextStart.isAfter(queued) ? nextStart : queued);
        });
        List<String> ids = starts.stream().map(RecordedEvent::jobId).toList();
        StoreReads.forEachRow(connection, "SELECT d.job_id, MAX(p.completed_at) FROM job_dependencies d JOIN jobs p ON p.id = d.depends_on_id"
                + " WHERE d.job_id IN (" + placeholders(ids.size()) + ") GROUP BY d.job_id", ids, row -> {
            java.sql.Timestamp completed = row.getTimestamp(2);
            Instant freed = completed == null ? Instant.EPOCH : completed.toInstant();
            due.computeIfPresent(row.getString(1), (id, queued) -> freed.isAfter(queued) ? freed : queued);
        });
        return due;
    }

    private static Instant nextStart(String data) {
        try {
            JsonNode next = data == null ? null : JSON.readTree(data).get("nextStart");
            return next == null || !next.isTextual() ? null : Instant.parse(next.asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    private static void increment(Map<String, Counter> counters, String key) {
        Counter counter = counters.get(key);
        if (counter != null) {
            counter.increment();
        }
    }

    private static String key(String first, String second) {
        return first + "|" + second;
    }

    private static Duration[] seconds(long... values) {
        return java.util.Arrays.stream(values).mapToObj(Duration::ofSeconds).toArray(Duration[]::new);
    }
}
