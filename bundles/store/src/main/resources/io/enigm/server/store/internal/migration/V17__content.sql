-- Encrypted content: the surfaces each environment offers, content objects and their recipients.
ALTER TABLE environment ADD COLUMN surfaces TEXT NOT NULL DEFAULT 'MESSAGES,ATTACHMENTS,MEDIA,CALLS';

-- One encrypted object. seq orders what a member lists (AUTOINCREMENT: a seq is never reused, so a
-- cursor never skips a later object). Small objects keep their ciphertext in the row (inline); the
-- bytes of larger ones live in the data home's blob store under their id, written and synced before
-- the row commits.
CREATE TABLE content_object (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    id              TEXT NOT NULL UNIQUE,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    sender_member   TEXT NOT NULL,
    sender_device   TEXT NOT NULL,
    surface         TEXT NOT NULL,
    size            INTEGER NOT NULL,
    etag            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    for_everyone    INTEGER NOT NULL,
    inline_bytes    BLOB
);
CREATE INDEX content_object_by_environment ON content_object (environment_id, seq);
CREATE INDEX content_object_by_sender ON content_object (environment_id, sender_member);
CREATE INDEX content_object_by_expiry ON content_object (expires_at);

-- Who an object is for, when it is not for every member.
CREATE TABLE content_recipient (
    object_seq      INTEGER NOT NULL REFERENCES content_object (seq),
    member_id       TEXT NOT NULL,
    PRIMARY KEY (object_seq, member_id)
) WITHOUT ROWID;
CREATE INDEX content_recipient_by_member ON content_recipient (member_id, object_seq);
