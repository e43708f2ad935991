-- The device-signed session flow (issue 5). A session records the decision that allowed it: the
-- policy version and the warning categories; tokens stay stored as SHA-256 hashes only.
ALTER TABLE session ADD COLUMN policy_version INTEGER;
ALTER TABLE session ADD COLUMN decision_warnings TEXT;
-- When the device last proved its key (opened or renewed), for the session-freshness signal.
ALTER TABLE session ADD COLUMN authenticated_at INTEGER;

-- Minimized security signals for review and for Enigm Intelligence: categories, a risk class and
-- a per-environment handle of the subject, never tokens, nonces, signatures or raw identifiers.
CREATE TABLE security_event (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    category        TEXT NOT NULL,
    risk            TEXT NOT NULL,
    subject_handle  TEXT,
    created_at      INTEGER NOT NULL
);
CREATE INDEX security_event_by_environment ON security_event (environment_id, created_at, id);
