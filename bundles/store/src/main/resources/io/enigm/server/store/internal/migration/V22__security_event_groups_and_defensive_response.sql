-- Issue 15. SQLite changes a column or a check only by rebuilding the table; the migrator runs this
-- with foreign keys off (references from other tables name the table, and keep doing so) and checks
-- them all before it commits.

-- A SECURITY_REVIEWER may hold the whole installation (read-only: audit and security events), so
-- an installation-wide token is no longer the OWNER's alone; every other role keeps its environment.
CREATE TABLE admin_token_any_reviewer (
    id              TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL,
    environment_id  TEXT REFERENCES environment (id),
    label           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    revoked_at      INTEGER,
    last_used_at    INTEGER,
    issued_by       TEXT REFERENCES admin_token (id),
    CHECK (CASE role WHEN 'OWNER' THEN environment_id IS NULL
                     WHEN 'SECURITY_REVIEWER' THEN 1
                     ELSE environment_id IS NOT NULL END)
);
INSERT INTO admin_token_any_reviewer (id, token_hash, role, environment_id, label, created_at, expires_at,
    revoked_at, last_used_at, issued_by)
SELECT id, token_hash, role, environment_id, label, created_at, expires_at, revoked_at, last_used_at, issued_by
FROM admin_token;
DROP TABLE admin_token;
ALTER TABLE admin_token_any_reviewer RENAME TO admin_token;
CREATE INDEX admin_token_by_environment ON admin_token (environment_id);
CREATE INDEX admin_token_by_creation ON admin_token (created_at, id);
CREATE INDEX admin_token_by_issuer ON admin_token (issued_by);

-- Security events of the installation itself (the critical-operation PIN) have no environment, so
-- environment_id becomes optional. The installation-wide feed reads all environments' events in
-- (created_at, id) order.
CREATE TABLE security_event_any_scope (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT REFERENCES environment (id),
    category        TEXT NOT NULL,
    risk            TEXT NOT NULL,
    subject_handle  TEXT,
    created_at      INTEGER NOT NULL,
    occurrences     INTEGER NOT NULL DEFAULT 1
);
INSERT INTO security_event_any_scope (id, environment_id, category, risk, subject_handle, created_at, occurrences)
SELECT id, environment_id, category, risk, subject_handle, created_at, occurrences FROM security_event;
DROP TABLE security_event;
ALTER TABLE security_event_any_scope RENAME TO security_event;
CREATE INDEX security_event_by_environment ON security_event (environment_id, created_at, id);
CREATE INDEX security_event_by_time ON security_event (created_at, id);

-- The environment's defensive response: restrict a device after this many failures (0: off)
-- within this many seconds.
ALTER TABLE environment ADD COLUMN auto_restrict_failures INTEGER NOT NULL DEFAULT 0;
ALTER TABLE environment ADD COLUMN auto_restrict_window_seconds INTEGER NOT NULL DEFAULT 600;
