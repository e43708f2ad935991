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
