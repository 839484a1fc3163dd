-- Statistics (GET /api/v1/stats) count, sum and rank jobs by type and status over a window of
-- creation times. Every column they read is in this index, so they never read the jobs' rows
-- (which carry their output and can be large). Type and status lead: the store walks one short
-- range per type and status for the window, and groups without sorting.
CREATE INDEX ix_jobs_stats ON jobs (type, status, created_at, user_id, retry_count, duration_ms);

-- The readiness probe proves that the store takes a write by updating this single row.
CREATE TABLE health_probe (
    id         INTEGER   NOT NULL PRIMARY KEY CHECK (id = 1),
    checked_at timestamp NOT NULL
);
INSERT INTO health_probe (id, checked_at) VALUES (1, 0);
