-- Environments, admin tokens and the audit log. Timestamps are epoch milliseconds.
CREATE TABLE environment (
    id            TEXT PRIMARY KEY,
    server_id     TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    region_label  TEXT,
    state         TEXT NOT NULL,
    created_at    INTEGER NOT NULL
);
CREATE INDEX environment_by_creation ON environment (created_at, id);

CREATE TABLE admin_token (
    id              TEXT PRIMARY KEY,
    token_hash      TEXT NOT NULL UNIQUE,
    role            TEXT NOT NULL,
    environment_id  TEXT REFERENCES environment (id),
    label           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER,
    revoked_at      INTEGER,
    last_used_at    INTEGER,
    CHECK ((role = 'OWNER') = (environment_id IS NULL))
);
CREATE INDEX admin_token_by_environment ON admin_token (environment_id);

-- Append-only: records refer to environments by id without a foreign key, so they outlive them.
CREATE TABLE audit_record (
    sequence        INTEGER PRIMARY KEY,
    recorded_at     INTEGER NOT NULL,
    actor           TEXT,
    role            TEXT,
    environment_id  TEXT,
    action          TEXT NOT NULL,
    target          TEXT,
    outcome         TEXT NOT NULL,
    category        TEXT,
    previous_hash   TEXT NOT NULL,
    hash            TEXT NOT NULL
);
CREATE INDEX audit_record_by_environment ON audit_record (environment_id, sequence);

CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;

CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;
