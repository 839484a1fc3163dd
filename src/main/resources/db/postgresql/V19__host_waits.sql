-- Jobs that wait for a host a long run holds leave the claim's index walk until the host is
-- given back, so that claims do not check them again and again (docs/fleet-dispatch.md).

-- set while the job waits in host_waits; the claim index holds only jobs without it
ALTER TABLE jobs ADD COLUMN waiting_for_host boolean NOT NULL DEFAULT false;

DROP INDEX ix_jobs_claim;
CREATE INDEX ix_jobs_claim ON jobs (priority DESC, created_at, id) WHERE status = 'queued' AND NOT waiting_for_host;

-- Which held host each waiting job was set aside for: giving that host back brings its waiters
-- back into the claim's walk.
CREATE TABLE host_waits (
    host   text NOT NULL,
    job_id text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    PRIMARY KEY (host, job_id)
);
CREATE INDEX ix_host_waits_job ON host_waits (job_id);

-- Whichever path gives a lock back (a run ending, a stray lock cleared), its host's waiters are
-- claimable again in the same transaction; one still blocked by another lock is set aside again
-- by a later pass. A job is set aside only under a key-share lock of the lock row it waits for
-- (HostWaits), so a lock cannot be given back between that look and the job being set aside.
CREATE FUNCTION release_host_waits() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE jobs SET waiting_for_host = false
    WHERE waiting_for_host AND id IN (SELECT job_id FROM host_waits WHERE host = OLD.host);
    DELETE FROM host_waits WHERE job_id IN (SELECT job_id FROM host_waits WHERE host = OLD.host);
    RETURN NULL;
END
$$;

CREATE TRIGGER host_waits_lock_released AFTER DELETE ON host_locks
    FOR EACH ROW EXECUTE FUNCTION release_host_waits();
