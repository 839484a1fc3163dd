package io.charon.jobs.api;

import io.charon.jobs.job.JobStatus;
import io.charon.jobs.observability.Statistics;
import io.charon.jobs.observability.StatsFilter;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Statistics as the API shows them: the filter they cover, the figures over all selected jobs,
 * and the same figures per job type. Every status and every type is present, with 0 when none.
 */
@RegisterForReflection
public record StatsView(FilterView filter, long total, Map<String, Long> byStatus, long finished, Double successRate,
                        long retries, DurationView durationMs, Map<String, BreakdownView> byType) {

    /** The filter as applied; null means "any". */
    @RegisterForReflection
    public record FilterView(Instant createdAfter, Instant createdBefore, String type, String tag, String userId) {
    }

    /** The figures of the jobs of one type. */
    @RegisterForReflection
    public record BreakdownView(long total, Map<String, Long> byStatus, long finished, Double successRate, long retries,
                                DurationView durationMs) {

        static BreakdownView of(Statistics.Breakdown figures) {
            return new BreakdownView(figures.total(), countsByStatus(figures), figures.finished(), figures.successRate(),
                    figures.retries(), DurationView.of(figures.durations()));
        }
    }

    /** Run durations of finished jobs, in milliseconds; {@code count} is how many jobs ran. */
    @RegisterForReflection
    public record DurationView(long count, Double mean, Long p50, Long p95) {

        static DurationView of(Statistics.Durations durations) {
            return new DurationView(durations.count(), durations.meanMs(), durations.p50Ms(), durations.p95Ms());
        }
    }

    static StatsView of(StatsFilter filter, Statistics statistics) {
        BreakdownView all = BreakdownView.of(statistics.all());
        Map<String, BreakdownView> byType = new LinkedHashMap<>();
        statistics.byType().forEach((type, figures) -> byType.put(type.wireName(), BreakdownView.of(figures)));
        return new StatsView(new FilterView(filter.createdAfter(), filter.createdBefore(),
                filter.type() == null ? null : filter.type().wireName(), filter.tag(), filter.userId()),
                all.total(), all.byStatus(), all.finished(), all.successRate(), all.retries(), all.durationMs(), byType);
    }

    private static Map<String, Long> countsByStatus(Statistics.Breakdown figures) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (JobStatus status : JobStatus.values()) {
            counts.put(status.wireName(), figures.byStatus().getOrDefault(status, 0L));
        }
        return counts;
    }
}
