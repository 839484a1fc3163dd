-- PostgreSQL twin of db/migration/V7__audit_refusal_counts.sql: refused requests counted per
-- action, outcome, source address, principal and minute (aggregate_key), and an index for retention.
ALTER TABLE audit_log ADD COLUMN count integer NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN aggregate_key text;
CREATE UNIQUE INDEX ux_audit_log_aggregate_key ON audit_log (aggregate_key);
CREATE INDEX ix_audit_log_at ON audit_log (at);
