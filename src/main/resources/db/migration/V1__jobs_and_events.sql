-- Jobs, their lifecycle events, tags and dependencies.
-- Instants are declared `timestamp` so Hibernate's schema validation accepts them on SQLite.

CREATE TABLE jobs (
    id               TEXT      NOT NULL PRIMARY KEY,
    name             TEXT      NOT NULL,
    type             TEXT      NOT NULL,
    priority         INTEGER   NOT NULL,
    status           TEXT      NOT NULL,
    playbook         TEXT      NOT NULL,
    inventory        TEXT      NOT NULL,
    variables        TEXT      NOT NULL,
    tags             TEXT      NOT NULL,
    depends_on       TEXT      NOT NULL,
    description      TEXT,
    user_id          TEXT      NOT NULL,
    scheduled_at     timestamp,
    -- earliest time a queued job may be claimed: scheduled time, or the next retry after backoff
    start_after      timestamp,
    timeout_ms       BIGINT    NOT NULL,
    max_retries      INTEGER   NOT NULL,
    retry_count      INTEGER   NOT NULL,
    retry_delay_ms   BIGINT    NOT NULL,
    created_at       timestamp NOT NULL,
    started_at       timestamp,
    completed_at     timestamp,
    duration_ms      BIGINT,
    exit_code        INTEGER,
    output           TEXT,
    error_message    TEXT,
    log_path         TEXT,
    host_stats       TEXT,
    -- claim: which instance runs it, a fencing token that grows with every claim, and the lease
    lease_owner      TEXT,
    lease_token      BIGINT    NOT NULL,
    lease_expires_at timestamp,
    -- number of the job's last event; events are numbered 1, 2, 3... per job
    event_seq        BIGINT    NOT NULL
);

-- Claiming: queued jobs in priority order, FIFO within a priority.
CREATE INDEX ix_jobs_claim ON jobs (priority DESC, created_at, id) WHERE status = 'queued';
-- Promoting scheduled jobs when they fall due.
CREATE INDEX ix_jobs_scheduled ON jobs (scheduled_at) WHERE status = 'scheduled';
-- Finding running jobs whose lease ran out.
CREATE INDEX ix_jobs_lease ON jobs (lease_expires_at) WHERE status = 'running';
-- Listing, newest first, with keyset paging; one index per common filter.
CREATE INDEX ix_jobs_created ON jobs (created_at DESC, id DESC);
CREATE INDEX ix_jobs_status_created ON jobs (status, created_at DESC, id DESC);
CREATE INDEX ix_jobs_user_created ON jobs (user_id, created_at DESC, id DESC);
CREATE INDEX ix_jobs_type_created ON jobs (type, created_at DESC, id DESC);
CREATE INDEX ix_jobs_priority_created ON jobs (priority, created_at DESC, id DESC);

CREATE TABLE job_tags (
    tag    TEXT NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (tag, job_id)
);
CREATE INDEX ix_job_tags_job ON job_tags (job_id);

CREATE TABLE job_dependencies (
    job_id        TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    depends_on_id TEXT NOT NULL REFERENCES jobs (id),
    PRIMARY KEY (job_id, depends_on_id)
);
CREATE INDEX ix_job_dependencies_parent ON job_dependencies (depends_on_id);

CREATE TABLE job_events (
    id         INTEGER   NOT NULL PRIMARY KEY AUTOINCREMENT,
    job_id     TEXT      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq        BIGINT    NOT NULL,
    type       TEXT      NOT NULL,
    status     TEXT      NOT NULL,
    message    TEXT,
    data       TEXT,
    created_at timestamp NOT NULL
);
CREATE UNIQUE INDEX ux_job_events_job_seq ON job_events (job_id, seq);
