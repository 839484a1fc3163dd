-- The version of each template a workflow run's nodes launch, fixed when the run is launched.
-- Twin of db/postgresql/V23__workflow_template_versions.sql.

-- JSON: template name to version. Runs launched before it launch each template's current version.
ALTER TABLE workflow_runs ADD COLUMN template_versions TEXT NOT NULL DEFAULT '{}';
