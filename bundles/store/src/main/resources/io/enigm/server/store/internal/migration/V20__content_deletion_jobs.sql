-- Content deletion jobs (issue 14). A job covers the objects it marks when it starts (deletion_id):
-- from then on they are in no answer, and the job erases them in bounded chunks, counting its
-- progress in erased. A completed job keeps its receipt: counts, times and the sequence and hash of
-- the audit record that sealed it. The member is named by id only, like a legal hold's.
CREATE TABLE content_deletion (
    id              TEXT PRIMARY KEY,
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    scope           TEXT NOT NULL,
    member_id       TEXT,
    objects         INTEGER NOT NULL,
    bytes           INTEGER NOT NULL,
    erased          INTEGER NOT NULL,
    requested_at    INTEGER NOT NULL,
    completed_at    INTEGER,
    audit_sequence  INTEGER,
    audit_hash      TEXT
);
CREATE INDEX content_deletion_running ON content_deletion (requested_at) WHERE completed_at IS NULL;

ALTER TABLE content_object ADD COLUMN deletion_id TEXT;
CREATE INDEX content_object_by_deletion ON content_object (deletion_id, seq) WHERE deletion_id IS NOT NULL;
