-- Join requests, invites, members, devices, sessions and session challenges (issue 4).
-- Account handles and device keys are stored as per-environment HMAC handles; the raw device
-- public key is kept only where a signature must be checked with it. Timestamps are epoch millis.
CREATE TABLE member (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    account_handle  TEXT NOT NULL,
    role            TEXT NOT NULL,
    state           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
-- One live membership per account and environment; a removed member may join again as a new one.
CREATE UNIQUE INDEX member_by_account ON member (environment_id, account_handle) WHERE state <> 'REMOVED';
CREATE INDEX member_by_environment ON member (environment_id, created_at, id);
CREATE INDEX member_by_state ON member (environment_id, state, created_at, id);
CREATE INDEX member_by_role ON member (environment_id, role, created_at, id);

CREATE TABLE device (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    member_id       TEXT NOT NULL REFERENCES member (id),
    key_handle      TEXT NOT NULL,
    public_key      BLOB NOT NULL,
    fingerprint     TEXT NOT NULL,
    trust           TEXT NOT NULL,
    replaced_by     TEXT REFERENCES device (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);
CREATE UNIQUE INDEX device_by_key ON device (environment_id, key_handle);
CREATE INDEX device_by_environment ON device (environment_id, created_at, id);
CREATE INDEX device_by_member ON device (member_id, created_at, id);

-- A request keeps its identifiers only while it is open: a decision erases the display name
-- and the account handle, and a rejection or cancellation also the device key.
CREATE TABLE join_request (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    state           TEXT NOT NULL,
    account_handle  TEXT,
    key_handle      TEXT,
    public_key      BLOB,
    display_name    TEXT,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    decided_at      INTEGER,
    member_id       TEXT REFERENCES member (id),
    device_id       TEXT REFERENCES device (id)
);
CREATE UNIQUE INDEX join_request_pending_account ON join_request (environment_id, account_handle) WHERE state = 'PENDING';
CREATE INDEX join_request_by_state ON join_request (environment_id, state, created_at, id);

CREATE TABLE invite (
    id               TEXT PRIMARY KEY,
    environment_id   TEXT NOT NULL REFERENCES environment (id),
    code_hash        TEXT NOT NULL UNIQUE,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    used_at          INTEGER,
    revoked_at       INTEGER,
    issued_by        TEXT NOT NULL,
    issuer_role      TEXT NOT NULL,
    join_request_id  TEXT REFERENCES join_request (id)
);
CREATE INDEX invite_by_environment ON invite (environment_id, created_at, id);

-- Written by the device-signed session flow (policy issue); reviewed and closed by administrators.
CREATE TABLE session (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    member_id       TEXT NOT NULL REFERENCES member (id),
    device_id       TEXT NOT NULL REFERENCES device (id),
    token_hash      TEXT NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    closed_at       INTEGER
);
CREATE INDEX session_by_environment ON session (environment_id, created_at, id);
CREATE INDEX session_by_member ON session (member_id, closed_at);
CREATE INDEX session_by_device ON session (device_id, closed_at);

-- Single-use nonces a device signs to prove it holds its key; a used nonce is deleted.
CREATE TABLE session_challenge (
    nonce           TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    device_id       TEXT NOT NULL REFERENCES device (id),
    expires_at      INTEGER NOT NULL
);
CREATE INDEX session_challenge_by_device ON session_challenge (device_id, expires_at);
