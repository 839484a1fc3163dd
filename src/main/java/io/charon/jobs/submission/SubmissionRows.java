package io.charon.jobs.submission;

import io.charon.jobs.job.Job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    /**
     * Stores the idempotency keys, by (user, key), of the jobs this batch created, except those
     * another transaction stored first: on PostgreSQL an insert of a key that a transaction not
     * yet committed holds waits for it, and does nothing once it committed.
     *
     * @return the keys another transaction stored (and committed) first
     */
    static Set<List<String>> insertKeys(Connection connection, Map<List<String>, JobSubmitter.KeyedJob> keys, Instant now)
            throws SQLException {
        List<Map.Entry<List<String>, JobSubmitter.KeyedJob>> fresh = keys.entrySet().stream()
                .filter(e -> e.getValue().isNew()).toList();
        Set<List<String>> takenElsewhere = new HashSet<>();
        if (fresh.isEmpty()) {
            return takenElsewhere;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT (user_id, key) DO NOTHING")) {
            for (Map.Entry<List<String>, JobSubmitter.KeyedJob> entry : fresh) {
                insert.setString(1, entry.getKey().get(0));
                insert.setString(2, entry.getKey().get(1));
                insert.setString(3, entry.getValue().requestHash());
                insert.setString(4, entry.getValue().job().getId());
                insert.setTimestamp(5, Timestamp.from(now));
                insert.addBatch();
            }
            int[] inserted = insert.executeBatch();
            List<Map.Entry<List<String>, JobSubmitter.KeyedJob>> uncounted = new ArrayList<>();
            for (int i = 0; i < inserted.length; i++) {
                if (inserted[i] == 0) {
                    takenElsewhere.add(fresh.get(i).getKey());
                } else if (inserted[i] < 0) {
                    uncounted.add(fresh.get(i));
                }
            }
            if (!uncounted.isEmpty()) {
                Map<List<String>, String> stored = storedJobs(connection, uncounted);
                for (Map.Entry<List<String>, JobSubmitter.KeyedJob> key : uncounted) {
                    if (!key.getValue().job().getId().equals(stored.get(key.getKey()))) {
                        takenElsewhere.add(key.getKey());
                    }
                }
            }
        }
        return takenElsewhere;
    }

    /**
     * The job each of {@code keys} names in the store, in one query: asked when the driver did not
     * count the rows of a batch (PostgreSQL sends a batch of inserts as multi-row statements).
     */
    private static Map<List<String>, String> storedJobs(Connection connection,
                                                        List<Map.Entry<List<String>, JobSubmitter.KeyedJob>> keys)
            throws SQLException {
        Map<List<String>, String> stored = new HashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT user_id, key, job_id FROM idempotency_keys WHERE "
                + String.join(" OR ", Collections.nCopies(keys.size(), "(user_id = ? AND key = ?)")))) {
            int parameter = 1;
            for (Map.Entry<List<String>, JobSubmitter.KeyedJob> key : keys) {
                select.setString(parameter++, key.getKey().get(0));
                select.setString(parameter++, key.getKey().get(1));
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    stored.put(List.of(rows.getString(1), rows.getString(2)), rows.getString(3));
                }
            }
        }
        return stored;
    }
}
