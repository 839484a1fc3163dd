-- PostgreSQL twin of db/migration/V8__event_positions.sql. Writers commit concurrently, so an
-- event's position is (the id of its writing transaction, its id), read up to the oldest
-- transaction still running (see PostgresEventLog). Events stored before sort first, by id.
ALTER TABLE job_events ADD COLUMN xact_id bigint NOT NULL DEFAULT 0;
ALTER TABLE job_events ALTER COLUMN xact_id SET DEFAULT (pg_current_xact_id()::text)::bigint;
CREATE INDEX ix_job_events_position ON job_events (xact_id, id);
ALTER TABLE event_cursors ADD COLUMN last_xact bigint NOT NULL DEFAULT 0;
