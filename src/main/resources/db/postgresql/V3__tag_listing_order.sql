-- PostgreSQL twin of db/migration/V3__tag_listing_order.sql: tag entries carry their job's creation time.
ALTER TABLE job_tags ADD COLUMN created_at timestamptz;
UPDATE job_tags SET created_at = (SELECT j.created_at FROM jobs j WHERE j.id = job_tags.job_id);
CREATE INDEX ix_job_tags_listing ON job_tags (tag, created_at DESC, job_id DESC);
