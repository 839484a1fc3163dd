package io.charon.jobs.submission;

import io.charon.jobs.job.Job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The rows a new job has besides its own, written as JDBC batches: links and idempotency keys. */
final class SubmissionRows {

    private SubmissionRows() {
    }

    /**
     * One JDBC batch of (value, job id[, job creation time]) rows for a link table. The time is
     * bound as a JDBC timestamp, which the SQLite driver stores as epoch milliseconds, as Hibernate
     * stores the jobs' own instants.
     */
    static void insertLinks(Connection connection, String sql, List<Job> jobs,
                                    Function<Job, List<String>> values, boolean withCreatedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql)) {
            boolean any = false;
            for (Job job : jobs) {
                for (String value : values.apply(job)) {
                    insert.setString(1, value);
                    insert.setString(2, job.getId());
                    if (withCreatedAt) {
                        insert.setTimestamp(3, Timestamp.from(job.getCreatedAt()));
                    }
                    insert.addBatch();
                    any = true;
                }
            }
            if (any) {
                insert.executeBatch();
            }
        }
    }

    /** The idempotency keys, by (user, key), of the jobs this batch created. */
    static void insertKeys(Connection connection, Map<List<String>, JobSubmitter.KeyedJob> keys, Instant now)
            throws SQLException {
        List<Map.Entry<List<String>, JobSubmitter.KeyedJob>> fresh = keys.entrySet().stream()
                .filter(e -> e.getValue().isNew()).toList();
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)")) {
            for (Map.Entry<List<String>, JobSubmitter.KeyedJob> entry : fresh) {
                insert.setString(1, entry.getKey().get(0));
                insert.setString(2, entry.getKey().get(1));
                insert.setString(3, entry.getValue().requestHash());
                insert.setString(4, entry.getValue().job().getId());
                insert.setTimestamp(5, Timestamp.from(now));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
