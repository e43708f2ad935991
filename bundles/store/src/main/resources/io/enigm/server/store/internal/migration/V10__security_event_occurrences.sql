-- Refusals beyond a rate are written as one event with their number rather than one row each.
ALTER TABLE security_event ADD COLUMN occurrences INTEGER NOT NULL DEFAULT 1;
