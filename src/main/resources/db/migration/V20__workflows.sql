-- Workflows: graphs of template launches joined by conditional edges, versioned, and their runs.
-- Twin of db/postgresql/V20__workflows.sql.

-- The current version of each workflow; every version is kept in workflow_versions.
CREATE TABLE workflows (
    name       TEXT      NOT NULL PRIMARY KEY,
    version    INTEGER   NOT NULL,
    -- JSON: the workflow as its request gave it (nodes, edges, allowedUsers)
    definition TEXT      NOT NULL,
    created_at timestamp NOT NULL,
    created_by TEXT      NOT NULL,
    updated_at timestamp NOT NULL,
    updated_by TEXT      NOT NULL
);

CREATE TABLE workflow_versions (
    name       TEXT      NOT NULL,
    version    INTEGER   NOT NULL,
    definition TEXT      NOT NULL,
    created_at timestamp NOT NULL,
    created_by TEXT      NOT NULL,
    PRIMARY KEY (name, version)
);

-- A run keeps the definition it was launched with: the workflow may change or go meanwhile.
CREATE TABLE workflow_runs (
    id                TEXT      NOT NULL PRIMARY KEY,
    workflow          TEXT      NOT NULL,
    workflow_version  INTEGER   NOT NULL,
    definition        TEXT      NOT NULL,
    status            TEXT      NOT NULL,
    user_id           TEXT      NOT NULL,
    launched_by_admin BOOLEAN   NOT NULL,
    -- JSON: one outcome per edge of the definition, in its order
    edges             TEXT      NOT NULL,
    message           TEXT,
    created_at        timestamp NOT NULL,
    ended_at          timestamp
);
CREATE INDEX ix_workflow_runs_workflow ON workflow_runs (workflow, created_at);

-- A run's nodes. job_id is no foreign key: retention deletes old jobs, the run keeps their ids.
CREATE TABLE workflow_run_nodes (
    run_id     TEXT      NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    node       TEXT      NOT NULL,
    status     TEXT      NOT NULL,
    job_id     TEXT,
    message    TEXT,
    updated_at timestamp NOT NULL,
    PRIMARY KEY (run_id, node)
);
-- A job's end finds its node, if it has one, by this index.
CREATE UNIQUE INDEX ux_workflow_run_nodes_job ON workflow_run_nodes (job_id);
