-- Twin of db/postgresql/V13__start_deadline_and_idle_timeout.sql: two limits a submission may set.
-- start_deadline_ms: how long after its due time (scheduled time, else submission) a job may
-- still start; start_deadline_at: that instant, kept only while the job has never started, so
-- that the partial index holds the pending deadlines alone. idle_timeout_ms: how long a run may
-- go without a line of output or a callback event.
ALTER TABLE jobs ADD COLUMN start_deadline_ms BIGINT;
ALTER TABLE jobs ADD COLUMN start_deadline_at timestamp;
ALTER TABLE jobs ADD COLUMN idle_timeout_ms BIGINT;

-- Jobs that must start by a deadline, earliest first: the sweep that cancels the late ones reads
-- the head of this index, never the queue.
CREATE INDEX ix_jobs_start_deadline ON jobs (start_deadline_at) WHERE start_deadline_at IS NOT NULL;
