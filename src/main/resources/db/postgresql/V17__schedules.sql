-- Schedules: a template launched at the slots of a cron expression. Twin of
-- db/migration/V17__schedules.sql.

CREATE TABLE schedules (
    name              text      NOT NULL PRIMARY KEY,
    template          text      NOT NULL,
    -- JSON object: the parameters of each launch
    parameters        text      NOT NULL,
    cron              text      NOT NULL,
    time_zone         text      NOT NULL,
    start_at          timestamptz,
    end_at            timestamptz,
    enabled           boolean   NOT NULL,
    -- skip, queue or cancel-previous
    overlap           text      NOT NULL,
    -- run-once or skip
    misfire           text      NOT NULL,
    start_deadline_ms bigint    NOT NULL,
    -- the earliest slot not handled yet; null when none is left (past endAt)
    next_slot         timestamptz,
    last_fired_slot   timestamptz,
    last_fired_job    text,
    last_skipped_slot timestamptz,
    last_missed_slot  timestamptz,
    missed_count      bigint    NOT NULL,
    -- whose jobs it launches
    owner             text      NOT NULL,
    created_at        timestamptz NOT NULL,
    created_by        text      NOT NULL,
    updated_at        timestamptz NOT NULL,
    updated_by        text      NOT NULL
);
-- the firer looks for schedules with a slot due
CREATE INDEX ix_schedules_next_slot ON schedules (next_slot);

-- Each slot handled, once: fired (with its job) or skipped because the previous job had not ended.
-- Written in the transaction that moves the schedule's next_slot past it and stores the job.
CREATE TABLE schedule_slots (
    schedule    text      NOT NULL,
    slot        timestamptz NOT NULL,
    -- fired or skipped
    outcome     text      NOT NULL,
    job_id      text,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (schedule, slot)
);
