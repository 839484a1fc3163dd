-- PostgreSQL twin of db/migration/V4__stats_indexes.sql.
-- Covering index for the statistics (GET /api/v1/stats).
CREATE INDEX ix_jobs_stats ON jobs (type, status, created_at, user_id, retry_count, duration_ms);

-- The readiness probe proves that the store takes a write by updating this single row.
CREATE TABLE health_probe (
    id         integer     NOT NULL PRIMARY KEY CHECK (id = 1),
    checked_at timestamptz NOT NULL
);
-- the epoch, as SQLite's 0 (epoch milliseconds)
INSERT INTO health_probe (id, checked_at) VALUES (1, TIMESTAMPTZ '1970-01-01 00:00:00+00');
