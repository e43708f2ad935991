-- Legal holds (issue 14): at most one per environment (member_id NULL) and one per member. While
-- one covers (ends_at NULL or later than now), nothing it covers is deleted. The member is named by
-- id only, without a foreign key: a hold outlives its member's row.
CREATE TABLE legal_hold (
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    member_id       TEXT,
    reason          TEXT NOT NULL,
    placed_at       INTEGER NOT NULL,
    ends_at         INTEGER
);
CREATE UNIQUE INDEX legal_hold_by_subject ON legal_hold (environment_id, COALESCE(member_id, ''));
-- The flag holds placed so far become holds without an end and with the reason unrecorded.
INSERT INTO legal_hold (environment_id, member_id, reason, placed_at, ends_at)
SELECT id, NULL, 'placed before holds had reasons', created_at, NULL FROM environment WHERE legal_hold = 1;
ALTER TABLE environment DROP COLUMN legal_hold;

-- The first answers of creating requests under their clients' idempotency keys (issue 14), kept
-- 24 hours. The scope names the caller and the request's method and path, so a key answers no one
-- else; the body is absent where the answer held a secret shown once.
CREATE TABLE idempotent_answer (
    scope            TEXT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    request_hash     BLOB NOT NULL,
    status           INTEGER NOT NULL,
    location         TEXT,
    created_id       TEXT,
    body             BLOB,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idempotent_answer_by_age ON idempotent_answer (created_at);

-- The display name a member chose when joining, kept from its approved request for the member
-- directory, where the environment's visibility rules show it (issue 14).
ALTER TABLE member ADD COLUMN display_name TEXT;
