-- One row per run of a job, written when the run ends: a retry never overwrites what happened before.
CREATE TABLE job_attempts (
    id            INTEGER   NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id        TEXT      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    -- the claim token of the run: 1 for the first run, then 2, 3...
    number        BIGINT    NOT NULL,
    owner         TEXT,
    started_at    timestamp NOT NULL,
    ended_at      timestamp NOT NULL,
    -- completed, failed, timeout, cancelled, orphaned or interrupted
    outcome       TEXT      NOT NULL,
    exit_code     INTEGER,
    error_message TEXT,
    log_path      TEXT
);
CREATE UNIQUE INDEX ux_job_attempts_job_number ON job_attempts (job_id, number);
-- retention finds old finished jobs by their end
CREATE INDEX ix_jobs_completed ON jobs (completed_at) WHERE completed_at IS NOT NULL;
