package io.charon.jobs.observability;

import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.JobType;
import io.charon.jobs.store.StatisticsSql;
import io.charon.jobs.store.Store;
import io.charon.jobs.store.StoreReads;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Statistics computed by SQLite in one statement (one snapshot of the store), never by loading
 * jobs. Without a tag, the jobs are read from the covering index {@code ix_jobs_stats} (type,
 * status, created_at, user_id, retry_count, duration_ms): one range per type and status for the
 * window, grouped in index order without a sort. Percentiles are nearest-rank: the durations are
 * sorted once per type and once over all, and only the rows at the wanted ranks come back. With a
 * tag, the tag's listing index selects the jobs. The statement runs in autocommit, so it never
 * takes the store's write lock.
 */
@ApplicationScoped
public class JobStatistics {

    private static final int P50 = 50;
    private static final int P95 = 95;

    private final DataSource store;
    private final StatisticsSql dialect;

    public JobStatistics(Store store, StatisticsSql dialect) {
        this.store = store.dataSource();
        this.dialect = dialect;
    }

    public Statistics compute(StatsFilter filter) {
        Selection jobs = Selection.of(filter, dialect);
        List<Object> params = new ArrayList<>();
        String sql = sql(jobs, params);
        Map<Optional<JobType>, Tally> tallies = new HashMap<>();
        tallies.put(Optional.empty(), new Tally());
        for (JobType type : JobType.values()) {
            tallies.put(Optional.of(type), new Tally());
        }
        List<Ranked> ranked = new ArrayList<>();
        try {
            StoreReads.forEachRow(store, sql, params, row -> {
                Optional<JobType> type = JobType.fromWireName(row.getString(2));
                if ("count".equals(row.getString(1))) {
                    Optional<JobStatus> status = JobStatus.fromWireName(row.getString(3));
                    if (type.isPresent() && status.isPresent()) {
                        for (Tally tally : List.of(tallies.get(type), tallies.get(Optional.<JobType>empty()))) {
                            tally.add(status.get(), row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7));
                        }
                    }
                } else {
                    ranked.add(new Ranked(type, row.getLong(4), row.getLong(5)));
                }
            });
            // every count is in before a rank is placed: a rank is a percentile relative to its group's runs
            ranked.forEach(r -> tallies.get(r.group()).rank(r.rank(), r.ms()));
        } catch (SQLException e) {
            throw new IllegalStateException("statistics query failed: " + e.getMessage(), e);
        }
        Map<JobType, Statistics.Breakdown> byType = new EnumMap<>(JobType.class);
        for (JobType type : JobType.values()) {
            byType.put(type, tallies.get(Optional.of(type)).breakdown());
        }
        return new Statistics(tallies.get(Optional.<JobType>empty()).breakdown(), Collections.unmodifiableMap(byType));
    }

    /**
     * Rows {@code ('count', type, status, jobs, retries, runs, run ms)} per type and status, then
     * {@code ('rank', type or NULL for all, rank, ms)} for each wanted rank, the rank worked out
     * from the counts: {@code ceil(n * p / 100)} among the n runs.
     */
    private static String sql(Selection jobs, List<Object> params) {
        List<String> ranks = new ArrayList<>();
        for (int p : new int[]{P50, P95}) {
            ranks.add("SELECT type, (n * " + p + " + 99) / 100 AS rn FROM runs");
            ranks.add("SELECT NULL, (CAST(SUM(n) AS BIGINT) * " + p + " + 99) / 100 FROM runs");
        }
        StringBuilder sql = new StringBuilder()
                .append("WITH counts AS (SELECT j.type AS type, j.status AS status, COUNT(*) AS jobs,")
                .append(" SUM(j.retry_count) AS retries, COUNT(j.duration_ms) AS runs, SUM(j.duration_ms) AS ms ")
                .append(jobs.in(EnumSet.allOf(JobStatus.class), params)).append(" GROUP BY j.type, j.status),")
                .append(" runs AS (SELECT type, CAST(SUM(runs) AS BIGINT) AS n FROM counts WHERE status IN ")
                .append(list(JobStatus.TERMINAL.stream().map(JobStatus::wireName))).append(" GROUP BY type),")
                .append(" ranks AS (").append(String.join(" UNION ", ranks)).append("),")
                // without a tag, reading the index again for each sort is cheaper than a temporary copy
                .append(" d AS ").append(jobs.byTag() ? "MATERIALIZED" : "NOT MATERIALIZED")
                .append(" (SELECT j.type AS type, j.duration_ms AS ms ").append(jobs.in(JobStatus.TERMINAL, params))
                .append(" AND j.duration_ms IS NOT NULL)")
                .append(" SELECT 'count', type, status, jobs, retries, runs, ms FROM counts");
        List<String> groups = new ArrayList<>(Arrays.stream(JobType.values()).map(t -> "'" + t.wireName() + "'").toList());
        groups.add(null);
        for (String type : groups) {
            sql.append(" UNION ALL SELECT 'rank', ").append(type == null ? "NULL" : type).append(", NULL, rn, ms, NULL, NULL")
                    .append(" FROM (SELECT ms, ROW_NUMBER() OVER (ORDER BY ms) AS rn FROM d")
                    .append(type == null ? "" : " WHERE type = " + type).append(") AS r")
                    .append(" WHERE rn IN (SELECT rn FROM ranks WHERE type ").append(type == null ? "IS NULL" : "= " + type)
                    .append(")");
        }
        return sql.toString();
    }

    private static String list(Stream<String> values) {
        return values.map(v -> "'" + v + "'").collect(Collectors.joining(", ", "(", ")"));
    }

    /**
     * The FROM and WHERE clauses selecting the filter's jobs as {@code j}, and the values of their
     * parameters, bound again wherever the clauses appear in the statement.
     */
    private record Selection(String sql, List<Object> params, boolean byTag) {

        /** @param dialect what to read the jobs from without a tag (SQLite is told the index) */
        static Selection of(StatsFilter filter, StatisticsSql dialect) {
            List<Object> params = new ArrayList<>();
            StringBuilder sql;
            String created;
            if (filter.tag() != null) {
                // the tag's entries carry their job's creation time: its index selects the window
                params.add(filter.tag());
                sql = new StringBuilder("FROM job_tags t JOIN jobs j ON j.id = t.job_id WHERE t.tag = ?");
                created = "t.created_at";
            } else {
                // equality on the index's leading columns: one range per type and status
                Stream<JobType> types = filter.type() == null ? Arrays.stream(JobType.values()) : Stream.of(filter.type());
                sql = new StringBuilder("FROM ").append(dialect.jobsFrom()).append(" WHERE j.type IN ")
                        .append(list(types.map(JobType::wireName)));
                created = "j.created_at";
            }
            if (filter.createdAfter() != null) {
                params.add(Timestamp.from(filter.createdAfter()));
                sql.append(" AND ").append(created).append(" >= ?");
            }
            if (filter.createdBefore() != null) {
                params.add(Timestamp.from(filter.createdBefore()));
                sql.append(" AND ").append(created).append(" < ?");
            }
            if (filter.type() != null && filter.tag() != null) {
                params.add(filter.type().wireName());
                sql.append(" AND j.type = ?");
            }
            if (filter.userId() != null) {
                params.add(filter.userId());
                sql.append(" AND j.user_id = ?");
            }
            return new Selection(sql.toString(), params, filter.tag() != null);
        }

        /**
         * The selected jobs in one of {@code statuses} (for the index: one range per type and
         * status); adds the clauses' parameter values to {@code bound}.
         */
        String in(Collection<JobStatus> statuses, List<Object> bound) {
            bound.addAll(params);
            return sql + " AND j.status IN " + list(statuses.stream().map(JobStatus::wireName));
        }
    }

    /** A run duration at a wanted rank among the runs of a type (or of all types: empty). */
    private record Ranked(Optional<JobType> group, long rank, long ms) {
    }

    /** Figures of one group as the rows arrive. */
    private static final class Tally {
        private long total;
        private long retries;
        private long runs;
        private long runMillis;
        private Long p50;
        private Long p95;
        private final Map<JobStatus, Long> byStatus = new EnumMap<>(JobStatus.class);

        Tally() {
            for (JobStatus status : JobStatus.values()) {
                byStatus.put(status, 0L);
            }
        }

        void add(JobStatus status, long jobs, long retrySum, long withDuration, long durations) {
            total += jobs;
            retries += retrySum;
            byStatus.merge(status, jobs, Long::sum);
            if (status.isTerminal()) {
                runs += withDuration;
                runMillis += durations;
            }
        }

        /** The duration at {@code rank} among the group's runs: a wanted percentile (or two). */
        void rank(long rank, long ms) {
            if (rank == (runs * P50 + 99) / 100) {
                p50 = ms;
            }
            if (rank == (runs * P95 + 99) / 100) {
                p95 = ms;
            }
        }

        Statistics.Breakdown breakdown() {
            Statistics.Durations durations = new Statistics.Durations(runs, runs == 0 ? null : (double) runMillis / runs,
                    p50, p95);
            return new Statistics.Breakdown(total, Collections.unmodifiableMap(byStatus), retries, durations);
        }
    }
}
