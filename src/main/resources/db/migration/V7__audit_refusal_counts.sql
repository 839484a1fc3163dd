-- Refused requests (bad tokens, forbidden actions) are counted rather than written one row each:
-- one row per action, outcome, source address, principal and minute, named by aggregate_key
-- (null for every other entry), with the number of requests in count. A flood from one source
-- adds a row a minute, whatever its rate.
ALTER TABLE audit_log ADD COLUMN count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN aggregate_key TEXT;
CREATE UNIQUE INDEX ux_audit_log_aggregate_key ON audit_log (aggregate_key);
-- the retention clean-up deletes by age
CREATE INDEX ix_audit_log_at ON audit_log (at);
