-- Signed checkpoints of the audit chain's head. A hash chain shows a changed, removed, inserted or
-- moved record, but not records cut from its end: the latest checkpoint, signed with a key kept in
-- the secrets directory (and copied there too), shows that.
CREATE TABLE audit_checkpoint (
    sequence    INTEGER PRIMARY KEY,
    hash        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    signature   TEXT NOT NULL
);

CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;

CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
