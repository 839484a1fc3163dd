-- A relay's cursor is an event position: (transaction, id). On SQLite the id alone orders the
-- event log, so the transaction half is always 0 (see db/postgresql/V8__event_positions.sql).
ALTER TABLE event_cursors ADD COLUMN last_xact INTEGER NOT NULL DEFAULT 0;
