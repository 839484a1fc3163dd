-- Fleet-safe dispatch: the queue a job belongs to, how it locks its hosts, the hosts it locks,
-- the locks running jobs hold, and the run-time settings of named queues.

ALTER TABLE jobs ADD COLUMN queue TEXT NOT NULL DEFAULT 'default';
ALTER TABLE jobs ADD COLUMN host_lock TEXT NOT NULL DEFAULT 'exclusive';
-- when the job.blocked event was recorded (once per job)
ALTER TABLE jobs ADD COLUMN blocked_at timestamp;

-- The hosts a job locks while it runs (none for hostLock "none" or localhost), written at submission.
CREATE TABLE job_hosts (
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    host   TEXT NOT NULL,
    PRIMARY KEY (job_id, host)
);
-- the queued jobs that wait for a held host, found from the host (job.blocked reports)
CREATE INDEX ix_job_hosts_host ON job_hosts (host);

-- The locks of running jobs: taken by the claim that starts a job, given back by the triggers
-- below in the transaction that takes the job out of running, whichever path does it, so that a
-- lock lives as long as its job's run (and its lease). A cancelled run's processes are still
-- being stopped when the job is cancelled: its locks are given back once they are gone (by the
-- service), or once its lease has lapsed.
CREATE TABLE host_locks (
    host      TEXT NOT NULL,
    job_id    TEXT NOT NULL,
    exclusive INTEGER NOT NULL,
    PRIMARY KEY (host, job_id)
);
CREATE INDEX ix_host_locks_job ON host_locks (job_id);

CREATE TRIGGER host_locks_leave_running AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN OLD.status = 'running' AND NEW.status NOT IN ('running', 'cancelled')
BEGIN
    DELETE FROM host_locks WHERE job_id = OLD.id;
END;

CREATE TRIGGER host_locks_running_deleted AFTER DELETE ON jobs
    FOR EACH ROW WHEN OLD.status = 'running'
BEGIN
    DELETE FROM host_locks WHERE job_id = OLD.id;
END;

-- Settings of named queues changed at run time (PUT /api/v1/queues/{name}); a queue without a row
-- has those of the configuration.
CREATE TABLE queues (
    name           TEXT NOT NULL PRIMARY KEY,
    max_concurrent INTEGER,
    paused         INTEGER NOT NULL DEFAULT 0
);
