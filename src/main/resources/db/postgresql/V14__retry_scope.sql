-- PostgreSQL twin of db/migration/V14__retry_scope.sql: which hosts a retry runs on and which
-- failed runs are retried.
-- retry_scope: 'all' or 'failed-hosts'.
-- retry_on: JSON array of 'failed', 'unreachable', 'timeout'. A new job retries all three unless it
-- says otherwise; jobs stored before were accepted when timeouts were never retried, and keep that.
-- retry_hosts: JSON array of the hosts the next run is limited to (a failed-hosts retry); [] for all.
ALTER TABLE jobs ADD COLUMN retry_scope text NOT NULL DEFAULT 'all';
ALTER TABLE jobs ADD COLUMN retry_on text NOT NULL DEFAULT '["failed","unreachable"]';
ALTER TABLE jobs ADD COLUMN retry_hosts text NOT NULL DEFAULT '[]';
