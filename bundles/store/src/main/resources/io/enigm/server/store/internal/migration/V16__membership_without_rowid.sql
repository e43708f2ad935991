-- Members and devices are found by id on every request that names one. Keyed by rowid, a lookup
-- by id searched the id index and then the table; clustered by id (WITHOUT ROWID), it searches
-- once. Ids start with their creation time, so new rows still append. SQLite changes a table
-- this way only by rebuilding it: the migrator runs this with foreign keys off (references from
-- other tables name the table, and keep doing so) and checks them all before it commits.
CREATE TABLE member_by_id (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    account_handle  TEXT NOT NULL,
    role            TEXT NOT NULL,
    state           TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO member_by_id (id, environment_id, account_handle, role, state, created_at, updated_at)
SELECT id, environment_id, account_handle, role, state, created_at, updated_at FROM member;
DROP TABLE member;
ALTER TABLE member_by_id RENAME TO member;
CREATE UNIQUE INDEX member_by_account ON member (environment_id, account_handle) WHERE state <> 'REMOVED';
CREATE INDEX member_by_environment ON member (environment_id, created_at, id);
CREATE INDEX member_by_state ON member (environment_id, state, created_at, id);
CREATE INDEX member_by_role ON member (environment_id, role, created_at, id);

CREATE TABLE device_by_id (
    id              TEXT NOT NULL PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    member_id       TEXT NOT NULL REFERENCES member (id),
    key_handle      TEXT NOT NULL,
    public_key      BLOB NOT NULL,
    fingerprint     TEXT NOT NULL,
    trust           TEXT NOT NULL,
    replaced_by     TEXT REFERENCES device (id),
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO device_by_id (id, environment_id, member_id, key_handle, public_key, fingerprint, trust,
    replaced_by, created_at, updated_at)
SELECT id, environment_id, member_id, key_handle, public_key, fingerprint, trust, replaced_by, created_at, updated_at
FROM device;
DROP TABLE device;
ALTER TABLE device_by_id RENAME TO device;
CREATE UNIQUE INDEX device_by_key ON device (environment_id, key_handle);
CREATE INDEX device_by_environment ON device (environment_id, created_at, id);
CREATE INDEX device_by_member ON device (member_id, created_at, id);
