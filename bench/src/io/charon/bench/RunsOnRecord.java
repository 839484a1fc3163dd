package io.charon.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the store records of the runs of the measured jobs (named with a prefix), read straight
 * from its tables (the same on SQLite and PostgreSQL): per job its attempts (one row per run,
 * numbered by the claim's fencing token), its {@code job.started} and its {@code job.completed}
 * events, and which instance owned each run. A job claimed twice shows there, even when its
 * listing says completed.
 */
record RunsOnRecord(long jobs, List<String> notOnce, Map<String, Long> runsByOwner) {

    private static final int SHOWN = 5;

    static RunsOnRecord read(StoreLocation store, String prefix) {
        String like = prefix + "%";
        try (Connection db = store.connect()) {
            long jobs = count(db, "SELECT COUNT(*) FROM jobs WHERE name LIKE ?", like);
            List<String> notOnce = new ArrayList<>();
            collect(db, "SELECT j.id, COUNT(a.id), COALESCE(MAX(a.number), 0) FROM jobs j"
                    + " LEFT JOIN job_attempts a ON a.job_id = j.id WHERE j.name LIKE ?"
                    + " GROUP BY j.id HAVING COUNT(a.id) <> 1 OR COALESCE(MAX(a.number), 0) <> 1", like,
                    row -> "job " + row.getString(1) + ": " + row.getLong(2) + " attempts, the last numbered " + row.getLong(3),
                    notOnce);
            for (String type : List.of("job.started", "job.completed")) {
                collect(db, "SELECT j.id, COUNT(e.id) FROM jobs j LEFT JOIN job_events e ON e.job_id = j.id AND e.type = '"
                        + type + "' WHERE j.name LIKE ? GROUP BY j.id HAVING COUNT(e.id) <> 1", like,
                        row -> "job " + row.getString(1) + ": " + row.getLong(2) + " " + type + " events", notOnce);
            }
            Map<String, Long> byOwner = new TreeMap<>();
            try (PreparedStatement query = db.prepareStatement("SELECT COALESCE(a.owner, '?'), COUNT(*) FROM job_attempts a"
                    + " JOIN jobs j ON j.id = a.job_id WHERE j.name LIKE ? GROUP BY a.owner")) {
                query.setString(1, like);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        byOwner.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            return new RunsOnRecord(jobs, notOnce, byOwner);
        } catch (SQLException e) {
            throw new ScenarioFailure("cannot read the runs back from " + store.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The attempts and {@code job.started} events the store holds of the jobs named {@code prefix}...:
     * 0 when none of them ever started.
     */
    static long starts(StoreLocation store, String prefix) {
        String like = prefix + "%";
        try (Connection db = store.connect()) {
            return count(db, "SELECT COUNT(*) FROM job_attempts a JOIN jobs j ON j.id = a.job_id WHERE j.name LIKE ?", like)
                    + count(db, "SELECT COUNT(*) FROM job_events e JOIN jobs j ON j.id = e.job_id"
                    + " WHERE e.type = 'job.started' AND j.name LIKE ?", like);
        } catch (SQLException e) {
            throw new ScenarioFailure("cannot read the runs back from " + store.jdbcUrl() + ": " + e.getMessage(), e);
        }
    }

    /** Fails the run unless the store holds {@code expected} measured jobs, each run exactly once. */
    RunsOnRecord requireEachRunOnce(long expected) {
        if (jobs != expected) {
            throw new ScenarioFailure(expected + " jobs were submitted but the store holds " + jobs);
        }
        if (!notOnce.isEmpty()) {
            throw new ScenarioFailure(notOnce.size() + " discrepancies with one run per job, e.g. "
                    + String.join("; ", notOnce.subList(0, Math.min(SHOWN, notOnce.size()))));
        }
        return this;
    }

    private interface Row<T> {
        T of(ResultSet row) throws SQLException;
    }

    private static long count(Connection db, String sql, String like) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, like);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static void collect(Connection db, String sql, String like, Row<String> row, List<String> into) throws SQLException {
        try (PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, like);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    into.add(row.of(rows));
                }
            }
        }
    }
}
