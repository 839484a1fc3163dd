-- Security: API tokens (their SHA-256 only, never their text), the audit trail, and the sealed
-- secret variables of jobs.

CREATE TABLE api_tokens (
    id          TEXT      NOT NULL PRIMARY KEY,
    -- lower-case hex SHA-256 of the token's text
    token_hash  TEXT      NOT NULL,
    user_id     TEXT      NOT NULL,
    -- viewer, operator or admin
    role        TEXT      NOT NULL,
    description TEXT,
    created_at  timestamp NOT NULL,
    created_by  TEXT      NOT NULL,
    expires_at  timestamp,
    revoked_at  timestamp,
    revoked_by  TEXT
);
CREATE UNIQUE INDEX ux_api_tokens_hash ON api_tokens (token_hash);

-- Who did what to what, when, and whether it was allowed. Kept when jobs are deleted.
CREATE TABLE audit_log (
    id             INTEGER   NOT NULL PRIMARY KEY AUTOINCREMENT,
    at             timestamp NOT NULL,
    principal      TEXT      NOT NULL,
    action         TEXT      NOT NULL,
    target         TEXT,
    -- success, denied or failed
    outcome        TEXT      NOT NULL,
    detail         TEXT,
    remote_address TEXT
);
CREATE INDEX ix_audit_log_principal ON audit_log (principal, id);
CREATE INDEX ix_audit_log_action ON audit_log (action, id);
CREATE INDEX ix_audit_log_target ON audit_log (target, id);

-- secretVariables of a job: names, a keyed digest and the AES-GCM ciphertext (JSON); never plain text
ALTER TABLE jobs ADD COLUMN secret_variables TEXT;
