-- Job templates: a job spec with typed parameters, versioned. Twin of db/postgresql/V16__templates.sql.

-- The current version of each template; every version is kept in template_versions, so that the
-- jobs that recorded one can be traced to what they were launched from.
CREATE TABLE templates (
    name       TEXT      NOT NULL PRIMARY KEY,
    version    INTEGER   NOT NULL,
    -- JSON: the template as its request gave it (job fields, parameters, allowedUsers)
    definition TEXT      NOT NULL,
    created_at timestamp NOT NULL,
    created_by TEXT      NOT NULL,
    updated_at timestamp NOT NULL,
    updated_by TEXT      NOT NULL
);

CREATE TABLE template_versions (
    name       TEXT      NOT NULL,
    version    INTEGER   NOT NULL,
    definition TEXT      NOT NULL,
    created_at timestamp NOT NULL,
    created_by TEXT      NOT NULL,
    PRIMARY KEY (name, version)
);

-- A job launched from a template: the template's name and the version it was launched from.
ALTER TABLE jobs ADD COLUMN template_name TEXT;
ALTER TABLE jobs ADD COLUMN template_version INTEGER;
