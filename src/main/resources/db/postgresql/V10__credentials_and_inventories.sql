-- PostgreSQL twin of db/migration/V10__credentials_and_inventories.sql: credentials, inventories
-- with their versions, and the columns of a job that names them.

-- A credential's secret fields are sealed with charon.security.secret-key (AES-GCM, the form of a
-- job's secret variables); the clear columns are what GET shows.
CREATE TABLE credentials (
    name          text      NOT NULL PRIMARY KEY,
    -- ssh, become or vault
    kind          text      NOT NULL,
    -- ssh: the remote user; become: the user to become (none: the method's default)
    username      text,
    -- become: sudo, su, ...
    become_method text,
    -- ssh: SHA256:... of the public key
    fingerprint   text,
    -- sealed JSON of the secret fields (privateKey, passphrase, password)
    secrets       text      NOT NULL,
    owner         text      NOT NULL,
    -- JSON array of the users who may use it besides its owner and admins
    users         text      NOT NULL,
    created_at    timestamptz NOT NULL,
    created_by    text      NOT NULL,
    updated_at    timestamptz NOT NULL,
    updated_by    text      NOT NULL
);

-- The current version of each inventory; every version is kept in inventory_versions, so that a
-- job runs on the version it recorded.
CREATE TABLE inventories (
    name            text      NOT NULL PRIMARY KEY,
    version         integer   NOT NULL,
    -- JSON: {"hosts": {name: {var: value}}, "groups": {name: {"hosts", "children", "vars"}}, "vars": {}}
    document        text      NOT NULL,
    -- strict, accept-new or off
    host_key_policy text      NOT NULL,
    -- OpenSSH known_hosts text
    known_hosts     text      NOT NULL,
    owner           text      NOT NULL,
    users           text      NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text      NOT NULL,
    updated_at      timestamptz NOT NULL,
    updated_by      text      NOT NULL
);

CREATE TABLE inventory_versions (
    name            text      NOT NULL,
    version         integer   NOT NULL,
    document        text      NOT NULL,
    host_key_policy text      NOT NULL,
    known_hosts     text      NOT NULL,
    created_at      timestamptz NOT NULL,
    created_by      text      NOT NULL,
    PRIMARY KEY (name, version)
);

-- A job that names a stored inventory: its name and version, and the Ansible limit; the job's
-- inventory column holds the hosts resolved from them. credentials: JSON array of names.
ALTER TABLE jobs ADD COLUMN inventory_ref text;
ALTER TABLE jobs ADD COLUMN inventory_version integer;
ALTER TABLE jobs ADD COLUMN host_limit text;
ALTER TABLE jobs ADD COLUMN credentials text NOT NULL DEFAULT '[]';
