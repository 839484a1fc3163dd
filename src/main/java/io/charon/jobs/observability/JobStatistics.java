package io.charon.jobs.observability;

import io.charon.jobs.job.JobStatus;
import io.charon.jobs.job.JobType;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Statistics computed by SQLite in one statement, never by loading jobs. Without a tag the jobs
 * are a range scan of the covering index {@code ix_jobs_stats} (creation time first, then every
 * column the statement reads); with a tag, the tag's listing index selects them. The statement
 * runs in autocommit, so it never takes the store's write lock.
 */
@ApplicationScoped
public class JobStatistics {

    /** Finished statuses, as an SQL list. */
    private static final String TERMINAL = JobStatus.TERMINAL.stream().map(s -> "'" + s.wireName() + "'")
            .collect(Collectors.joining(", ", "(", ")"));
    private static final int P50 = 50;
    private static final int P95 = 95;

    private final DataSource store;

    public JobStatistics(DataSource store) {
        this.store = store;
    }

    public Statistics compute(StatsFilter filter) {
        Selection jobs = Selection.of(filter);
        Map<Optional<JobType>, Tally> tallies = new HashMap<>();
        tallies.put(Optional.empty(), new Tally());
        for (JobType type : JobType.values()) {
            tallies.put(Optional.of(type), new Tally());
        }
        // one statement, so that counts and percentiles come from the same snapshot of the store
        String sql = "WITH sel AS (SELECT j.type AS type, j.status AS status, j.retry_count AS retries,"
                + " j.duration_ms AS ms " + jobs.sql() + "),"
                + " d AS (SELECT type, ms FROM sel WHERE status IN " + TERMINAL + " AND ms IS NOT NULL),"
                + " ranked AS (SELECT type, ms, ROW_NUMBER() OVER (PARTITION BY type ORDER BY ms) AS rn,"
                + " COUNT(*) OVER (PARTITION BY type) AS n FROM d"
                + " UNION ALL SELECT NULL, ms, ROW_NUMBER() OVER (ORDER BY ms), COUNT(*) OVER () FROM d)"
                // per type and status: how many, their retries, and how many ran for how long in all
                + " SELECT 'count', type, status, COUNT(*), SUM(retries), COUNT(ms), SUM(ms) FROM sel GROUP BY type, status"
                // nearest-rank percentiles of run durations: the row whose rank is ceil(n * p / 100)
                + " UNION ALL SELECT 'rank', type, NULL, n, rn, ms, NULL FROM ranked"
                + " WHERE rn IN ((n * " + P50 + " + 99) / 100, (n * " + P95 + " + 99) / 100)";
        try (Connection connection = store.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < jobs.params().size(); i++) {
                statement.setObject(i + 1, jobs.params().get(i));
            }
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    Optional<JobType> type = JobType.fromWireName(row.getString(2));
                    if ("count".equals(row.getString(1))) {
                        Optional<JobStatus> status = JobStatus.fromWireName(row.getString(3));
                        if (type.isPresent() && status.isPresent()) {
                            for (Tally tally : List.of(tallies.get(type), tallies.get(Optional.<JobType>empty()))) {
                                tally.add(status.get(), row.getLong(4), row.getLong(5), row.getLong(6), row.getLong(7));
                            }
                        }
                    } else if (type.isPresent() || row.getString(2) == null) {
                        tallies.get(type).rank(row.getLong(4), row.getLong(5), row.getLong(6));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("statistics query failed: " + e.getMessage(), e);
        }
        Map<JobType, Statistics.Breakdown> byType = new EnumMap<>(JobType.class);
        for (JobType type : JobType.values()) {
            byType.put(type, tallies.get(Optional.of(type)).breakdown());
        }
        return new Statistics(tallies.get(Optional.<JobType>empty()).breakdown(), Collections.unmodifiableMap(byType));
    }

    /** The FROM and WHERE clauses selecting the filter's jobs as {@code j}, and their parameters. */
    private record Selection(String sql, List<Object> params) {

        static Selection of(StatsFilter filter) {
            List<Object> params = new ArrayList<>();
            StringBuilder sql;
            String created;
            if (filter.tag() != null) {
                // the tag's entries carry their job's creation time: its index selects the window
                sql = new StringBuilder("FROM job_tags t JOIN jobs j ON j.id = t.job_id WHERE t.tag = ?");
                params.add(filter.tag());
                created = "t.created_at";
            } else {
                sql = new StringBuilder("FROM jobs j INDEXED BY ix_jobs_stats WHERE 1 = 1");
                created = "j.created_at";
            }
            if (filter.createdAfter() != null) {
                sql.append(" AND ").append(created).append(" >= ?");
                params.add(filter.createdAfter().toEpochMilli());
            }
            if (filter.createdBefore() != null) {
                sql.append(" AND ").append(created).append(" < ?");
                params.add(filter.createdBefore().toEpochMilli());
            }
            if (filter.type() != null) {
                sql.append(" AND j.type = ?");
                params.add(filter.type().wireName());
            }
            if (filter.userId() != null) {
                sql.append(" AND j.user_id = ?");
                params.add(filter.userId());
            }
            return new Selection(sql.toString(), params);
        }
    }

    /** Figures of one group as the rows arrive. */
    private static final class Tally {
        private long total;
        private long retries;
        private long timed;
        private long durationSum;
        private final Map<JobStatus, Long> byStatus = new EnumMap<>(JobStatus.class);
        private Long p50;
        private Long p95;

        Tally() {
            for (JobStatus status : JobStatus.values()) {
                byStatus.put(status, 0L);
            }
        }

        void add(JobStatus status, long count, long retrySum, long withDuration, long durations) {
            total += count;
            retries += retrySum;
            byStatus.merge(status, count, Long::sum);
            if (status.isTerminal()) {
                timed += withDuration;
                durationSum += durations;
            }
        }

        /** A duration of rank {@code rank} among {@code n}: it is a percentile if that rank is. */
        void rank(long n, long rank, long ms) {
            if (rank == (n * P50 + 99) / 100) {
                p50 = ms;
            }
            if (rank == (n * P95 + 99) / 100) {
                p95 = ms;
            }
        }

        Statistics.Breakdown breakdown() {
            Statistics.Durations durations = new Statistics.Durations(timed, timed == 0 ? null : (double) durationSum / timed,
                    p50, p95);
            return new Statistics.Breakdown(total, Collections.unmodifiableMap(byStatus), retries, durations);
        }
    }
}
