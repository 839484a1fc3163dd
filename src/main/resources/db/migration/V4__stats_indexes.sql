-- Statistics (GET /api/v1/stats) count, group and sum jobs by creation time. Every column they
-- filter, group or add up is in this index, so a window of a day is a range scan of the index
-- alone, never a read of the jobs' rows (which carry their output and can be large).
CREATE INDEX ix_jobs_stats ON jobs (created_at, type, status, user_id, retry_count, duration_ms);

-- The readiness probe proves that the store takes a write by updating this single row.
CREATE TABLE health_probe (
    id         INTEGER   NOT NULL PRIMARY KEY CHECK (id = 1),
    checked_at timestamp NOT NULL
);
INSERT INTO health_probe (id, checked_at) VALUES (1, 0);
