-- Credentials and inventories: how jobs reach remote hosts. Twin of
-- db/postgresql/V10__credentials_and_inventories.sql.

-- A credential's secret fields are sealed with charon.security.secret-key (AES-GCM, the form of a
-- job's secret variables); the clear columns are what GET shows.
CREATE TABLE credentials (
    name          TEXT      NOT NULL PRIMARY KEY,
    -- ssh, become or vault
    kind          TEXT      NOT NULL,
    -- ssh: the remote user; become: the user to become (none: the method's default)
    username      TEXT,
    -- become: sudo, su, ...
    become_method TEXT,
    -- ssh: SHA256:... of the public key
    fingerprint   TEXT,
    -- sealed JSON of the secret fields (privateKey, passphrase, password)
    secrets       TEXT      NOT NULL,
    owner         TEXT      NOT NULL,
    -- JSON array of the users who may use it besides its owner and admins
    users         TEXT      NOT NULL,
    created_at    timestamp NOT NULL,
    created_by    TEXT      NOT NULL,
    updated_at    timestamp NOT NULL,
    updated_by    TEXT      NOT NULL
);

-- The current version of each inventory; every version is kept in inventory_versions, so that a
-- job runs on the version it recorded.
CREATE TABLE inventories (
    name            TEXT      NOT NULL PRIMARY KEY,
    version         INTEGER   NOT NULL,
    -- JSON: {"hosts": {name: {var: value}}, "groups": {name: {"hosts", "children", "vars"}}, "vars": {}}
    document        TEXT      NOT NULL,
    -- strict, accept-new or off
    host_key_policy TEXT      NOT NULL,
    -- OpenSSH known_hosts text
    known_hosts     TEXT      NOT NULL,
    owner           TEXT      NOT NULL,
    users           TEXT      NOT NULL,
    created_at      timestamp NOT NULL,
    created_by      TEXT      NOT NULL,
    updated_at      timestamp NOT NULL,
    updated_by      TEXT      NOT NULL
);

CREATE TABLE inventory_versions (
    name            TEXT      NOT NULL,
    version         INTEGER   NOT NULL,
    document        TEXT      NOT NULL,
    host_key_policy TEXT      NOT NULL,
    known_hosts     TEXT      NOT NULL,
    created_at      timestamp NOT NULL,
    created_by      TEXT      NOT NULL,
    PRIMARY KEY (name, version)
);

-- A job that names a stored inventory: its name and version, and the Ansible limit; the job's
-- inventory column holds the hosts resolved from them. credentials: JSON array of names.
ALTER TABLE jobs ADD COLUMN inventory_ref TEXT;
ALTER TABLE jobs ADD COLUMN inventory_version INTEGER;
ALTER TABLE jobs ADD COLUMN host_limit TEXT;
ALTER TABLE jobs ADD COLUMN credentials TEXT NOT NULL DEFAULT '[]';
