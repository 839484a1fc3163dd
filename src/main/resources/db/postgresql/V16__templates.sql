-- Job templates: a job spec with typed parameters, versioned. Twin of db/migration/V16__templates.sql.

-- The current version of each template; every version is kept in template_versions, so that the
-- jobs that recorded one can be traced to what they were launched from.
CREATE TABLE templates (
    name       text      NOT NULL PRIMARY KEY,
    version    integer   NOT NULL,
    -- JSON: the template as its request gave it (job fields, parameters, allowedUsers)
    definition text      NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text      NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text      NOT NULL
);

CREATE TABLE template_versions (
    name       text      NOT NULL,
    version    integer   NOT NULL,
    definition text      NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text      NOT NULL,
    PRIMARY KEY (name, version)
);

-- A job launched from a template: the template's name and the version it was launched from.
ALTER TABLE jobs ADD COLUMN template_name text;
ALTER TABLE jobs ADD COLUMN template_version integer;
