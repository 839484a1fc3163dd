-- Workflow approval nodes and the resume of failed runs.
-- Twin of db/postgresql/V22__workflow_approvals_and_resume.sql.

-- An approval node waits until waiting_until (none: no timeout); decision: JSON, who decided what, when.
ALTER TABLE workflow_run_nodes ADD COLUMN waiting_until timestamp;
ALTER TABLE workflow_run_nodes ADD COLUMN decision TEXT;
-- JSON: the attempts that resumes set back, each with its status, message, job id and decision.
ALTER TABLE workflow_run_nodes ADD COLUMN previous TEXT;
-- The sweep of approval timeouts reads only the waiting nodes that have one.
CREATE INDEX ix_workflow_run_nodes_waiting ON workflow_run_nodes (waiting_until) WHERE waiting_until IS NOT NULL;

ALTER TABLE workflow_runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
-- JSON: each resume, with how the attempt before it ended and the nodes it set back.
ALTER TABLE workflow_runs ADD COLUMN resumes TEXT NOT NULL DEFAULT '[]';
