-- PostgreSQL twin of db/migration/V5__idempotency_and_event_cursors.sql.
-- Idempotency keys, per user; deleted with their job.
CREATE TABLE idempotency_keys (
    user_id      text        NOT NULL,
    key          text        NOT NULL,
    -- SHA-256 of the validated request
    request_hash text        NOT NULL,
    job_id       text        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX ix_idempotency_keys_job ON idempotency_keys (job_id);

-- How far each outbound relay has delivered the event log (job_events is the outbox).
CREATE TABLE event_cursors (
    name       text        NOT NULL PRIMARY KEY,
    last_id    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);
