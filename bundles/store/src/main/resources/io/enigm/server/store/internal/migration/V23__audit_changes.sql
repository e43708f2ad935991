-- What an update changed (field, old and new value where not sensitive), as a JSON array; NULL when
-- the record names no changes. Part of the record's hash when present.
ALTER TABLE audit_record ADD COLUMN changes TEXT;
