-- PostgreSQL twin of db/migration/V21__artifacts_and_check_mode.sql: what a playbook publishes
-- with set_stats, and check mode with its diffs.

-- 'run' makes the changes; 'check' runs ansible-playbook --check --diff
ALTER TABLE jobs ADD COLUMN mode text NOT NULL DEFAULT 'run';
-- JSON object of the artifacts the last run published; NULL when it published none
ALTER TABLE jobs ADD COLUMN artifacts text;

-- The diff of a check-mode job's last run, apart from the job's row, which listings read.
CREATE TABLE job_diffs (
    job_id  text NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    -- JSON: {"truncated": bool, "entries": [{"host", "task", "diff"}]}
    content text NOT NULL
);
