-- Listing by tag walks the tag's entries newest first and stops after one page, instead of
-- fetching and sorting every job that carries the tag: the job's creation time is kept beside it.
ALTER TABLE job_tags ADD COLUMN created_at timestamp;
UPDATE job_tags SET created_at = (SELECT j.created_at FROM jobs j WHERE j.id = job_tags.job_id);
CREATE INDEX ix_job_tags_listing ON job_tags (tag, created_at DESC, job_id DESC);
