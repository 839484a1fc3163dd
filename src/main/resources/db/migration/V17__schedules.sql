-- Schedules: a template launched at the slots of a cron expression. Twin of
-- db/postgresql/V17__schedules.sql.

CREATE TABLE schedules (
    name              TEXT      NOT NULL PRIMARY KEY,
    template          TEXT      NOT NULL,
    -- JSON object: the parameters of each launch
    parameters        TEXT      NOT NULL,
    cron              TEXT      NOT NULL,
    time_zone         TEXT      NOT NULL,
    start_at          timestamp,
    end_at            timestamp,
    enabled           boolean   NOT NULL,
    -- skip, queue or cancel-previous
    overlap           TEXT      NOT NULL,
    -- run-once or skip
    misfire           TEXT      NOT NULL,
    start_deadline_ms BIGINT    NOT NULL,
    -- the earliest slot not handled yet; null when none is left (past endAt)
    next_slot         timestamp,
    last_fired_slot   timestamp,
    last_fired_job    TEXT,
    last_skipped_slot timestamp,
    last_missed_slot  timestamp,
    missed_count      BIGINT    NOT NULL,
    -- whose jobs it launches
    owner             TEXT      NOT NULL,
    created_at        timestamp NOT NULL,
    created_by        TEXT      NOT NULL,
    updated_at        timestamp NOT NULL,
    updated_by        TEXT      NOT NULL
);
-- the firer looks for schedules with a slot due
CREATE INDEX ix_schedules_next_slot ON schedules (next_slot);

-- Each slot handled, once: fired (with its job) or skipped because the previous job had not ended.
-- Written in the transaction that moves the schedule's next_slot past it and stores the job.
CREATE TABLE schedule_slots (
    schedule    TEXT      NOT NULL,
    slot        timestamp NOT NULL,
    -- fired or skipped
    outcome     TEXT      NOT NULL,
    job_id      TEXT,
    recorded_at timestamp NOT NULL,
    PRIMARY KEY (schedule, slot)
);
