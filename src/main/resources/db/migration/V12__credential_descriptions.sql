-- Twin of db/postgresql/V12__credential_descriptions.sql: a credential's optional description,
-- shown with its clear fields.
ALTER TABLE credentials ADD COLUMN description TEXT;
