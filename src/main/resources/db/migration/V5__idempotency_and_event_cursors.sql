-- Idempotency keys: a repeated submission with the same key (per user) returns the job the
-- first one created. Deleted with their job.
CREATE TABLE idempotency_keys (
    user_id      TEXT      NOT NULL,
    key          TEXT      NOT NULL,
    -- SHA-256 of the validated request: the same key with another request is a conflict
    request_hash TEXT      NOT NULL,
    job_id       TEXT      NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_at   timestamp NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX ix_idempotency_keys_job ON idempotency_keys (job_id);

-- How far each outbound relay (e.g. the broker bridge) has delivered the event log: job_events
-- is the outbox, and a relay's cursor moves only once the receiver confirmed.
CREATE TABLE event_cursors (
    name       TEXT      NOT NULL PRIMARY KEY,
    last_id    BIGINT    NOT NULL,
    updated_at timestamp NOT NULL
);
