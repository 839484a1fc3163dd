-- PostgreSQL twin of db/migration/V12__credential_descriptions.sql: a credential's optional
-- description, shown with its clear fields.
ALTER TABLE credentials ADD COLUMN description text;
