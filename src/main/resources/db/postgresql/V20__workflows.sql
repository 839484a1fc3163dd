-- Workflows: graphs of template launches joined by conditional edges, versioned, and their runs.
-- Twin of db/migration/V20__workflows.sql.

-- The current version of each workflow; every version is kept in workflow_versions.
CREATE TABLE workflows (
    name       text      NOT NULL PRIMARY KEY,
    version    integer   NOT NULL,
    -- JSON: the workflow as its request gave it (nodes, edges, allowedUsers)
    definition text      NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text      NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text      NOT NULL
);

CREATE TABLE workflow_versions (
    name       text      NOT NULL,
    version    integer   NOT NULL,
    definition text      NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text      NOT NULL,
    PRIMARY KEY (name, version)
);

-- A run keeps the definition it was launched with: the workflow may change or go meanwhile.
CREATE TABLE workflow_runs (
    id                text      NOT NULL PRIMARY KEY,
    workflow          text      NOT NULL,
    workflow_version  integer   NOT NULL,
    definition        text      NOT NULL,
    status            text      NOT NULL,
    user_id           text      NOT NULL,
    launched_by_admin boolean   NOT NULL,
    -- JSON: one outcome per edge of the definition, in its order
    edges             text      NOT NULL,
    message           text,
    created_at        timestamptz NOT NULL,
    ended_at          timestamptz
);
CREATE INDEX ix_workflow_runs_workflow ON workflow_runs (workflow, created_at);

-- A run's nodes. job_id is no foreign key: retention deletes old jobs, the run keeps their ids.
CREATE TABLE workflow_run_nodes (
    run_id     text      NOT NULL REFERENCES workflow_runs (id) ON DELETE CASCADE,
    node       text      NOT NULL,
    status     text      NOT NULL,
    job_id     text,
    message    text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (run_id, node)
);
-- A job's end finds its node, if it has one, by this index.
CREATE UNIQUE INDEX ux_workflow_run_nodes_job ON workflow_run_nodes (job_id);
