-- Jobs that wait for a host a long run holds leave the claim's index walk until the host is
-- given back, so that claims do not check them again and again (docs/fleet-dispatch.md).

-- set while the job waits in host_waits; the claim index holds only jobs without it
ALTER TABLE jobs ADD COLUMN waiting_for_host INTEGER NOT NULL DEFAULT 0;

DROP INDEX ix_jobs_claim;
CREATE INDEX ix_jobs_claim ON jobs (priority DESC, created_at, id) WHERE status = 'queued' AND NOT waiting_for_host;

-- Which held host each waiting job was set aside for: giving that host back brings its waiters
-- back into the claim's walk.
CREATE TABLE host_waits (
    host   TEXT NOT NULL,
    job_id TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (host, job_id)
);
CREATE INDEX ix_host_waits_job ON host_waits (job_id);

-- Whichever path gives a lock back (a run ending, a stray lock cleared), its host's waiters are
-- claimable again in the same transaction; one still blocked by another lock is set aside again
-- by a later pass.
CREATE TRIGGER host_waits_lock_released AFTER DELETE ON host_locks
BEGIN
    UPDATE jobs SET waiting_for_host = 0
    WHERE waiting_for_host AND id IN (SELECT job_id FROM host_waits WHERE host = OLD.host);
    DELETE FROM host_waits WHERE job_id IN (SELECT job_id FROM host_waits WHERE host = OLD.host);
END;
