-- A migration that a newer build would bring: HealthProbeTest shows that the store is not ready
-- while it is pending. It is never applied.
CREATE TABLE never_applied (id INTEGER PRIMARY KEY);
