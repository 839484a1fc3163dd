-- PostgreSQL only (SQLite has one process, whose worker pool caps its runs): the cluster-wide
-- cap on running jobs (charon.jobs.max-concurrent-jobs) as a table of slots. A claim takes free
-- slots numbered up to the cap with FOR UPDATE SKIP LOCKED and seats its jobs in them, so claims
-- of all replicas count against one cap without waiting on each other. Replicas create the
-- slots up to their cap at start-up.

CREATE TABLE run_slots (
    slot   integer NOT NULL PRIMARY KEY,
    -- the running job holding the slot; null while free
    job_id text UNIQUE
);

-- A slot is given back in the transaction that takes its job out of running, whichever path
-- does it (an outcome, a retry's requeue, a cancellation, an orphan rescue, a hand-back at
-- shutdown, a deletion), so that no path can forget it.
CREATE FUNCTION release_run_slot() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE run_slots SET job_id = NULL WHERE job_id = OLD.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER jobs_leave_running AFTER UPDATE OF status ON jobs
    FOR EACH ROW WHEN (OLD.status = 'running' AND NEW.status <> 'running')
    EXECUTE FUNCTION release_run_slot();

CREATE TRIGGER jobs_running_deleted AFTER DELETE ON jobs
    FOR EACH ROW WHEN (OLD.status = 'running')
    EXECUTE FUNCTION release_run_slot();

-- Jobs running now hold the first slots; with more of them than a replica's cap, the slots above
-- it are given back as they end and not taken again.
INSERT INTO run_slots (slot, job_id)
SELECT row_number() OVER (ORDER BY started_at, id), id FROM jobs WHERE status = 'running';
