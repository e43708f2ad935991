-- Issue 15: audit retention. Records and checkpoints stay append-only for every statement except
-- the retention's pruning, which marks its own transaction with the one row of audit_pruning and
-- removes it before committing; it removes only whole spans up to a checkpoint it keeps.
CREATE TABLE audit_pruning (
    id INTEGER PRIMARY KEY CHECK (id = 1)
);

DROP TRIGGER audit_record_no_delete;
CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record
WHEN NOT EXISTS (SELECT 1 FROM audit_pruning)
BEGIN
    SELECT RAISE(ABORT, 'audit records are append-only');
END;

DROP TRIGGER audit_checkpoint_no_delete;
CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
WHEN NOT EXISTS (SELECT 1 FROM audit_pruning)
BEGIN
    SELECT RAISE(ABORT, 'audit checkpoints are append-only');
END;
