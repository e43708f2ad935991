-- Environment keys and the critical-operation PIN (issue 4).

-- The lifecycle sweeper looks for closing environments whose grace period ended.
CREATE INDEX environment_by_closing ON environment (state, closing_ends_at);

-- Each environment's HMAC key for privacy-preserving handles, wrapped with AES-256-GCM under the
-- installation key (AAD = environment id). Deleting the row is crypto-shredding: handles stored
-- anywhere can no longer be recomputed, so they no longer link to a person.
CREATE TABLE environment_key (
    environment_id  TEXT PRIMARY KEY REFERENCES environment (id),
    nonce           BLOB NOT NULL,
    wrapped_key     BLOB NOT NULL,
    created_at      INTEGER NOT NULL
);

-- The installation's one critical-operation PIN: a PBKDF2 hash (absent until the owner sets one)
-- and the lockout state, which must survive a restart.
CREATE TABLE critical_operation_pin (
    id               INTEGER PRIMARY KEY CHECK (id = 1),
    algorithm        TEXT,
    iterations       INTEGER,
    salt             BLOB,
    hash             BLOB,
    changed_at       INTEGER,
    failed_attempts  INTEGER NOT NULL DEFAULT 0,
    locked_until     INTEGER
);
INSERT INTO critical_operation_pin (id, failed_attempts) VALUES (1, 0);
