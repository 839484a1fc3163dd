-- PostgreSQL twin of db/migration/V13__start_deadline_and_idle_timeout.sql (the reasons are there).
ALTER TABLE jobs ADD COLUMN start_deadline_ms bigint;
ALTER TABLE jobs ADD COLUMN start_deadline_at timestamptz;
ALTER TABLE jobs ADD COLUMN idle_timeout_ms bigint;

CREATE INDEX ix_jobs_start_deadline ON jobs (start_deadline_at) WHERE start_deadline_at IS NOT NULL;
