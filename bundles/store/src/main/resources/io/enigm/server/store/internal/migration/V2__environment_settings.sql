-- Environment settings: visibility, content lifetime, enrollment trust, legal hold, closing deadline.
ALTER TABLE environment ADD COLUMN member_directory INTEGER NOT NULL DEFAULT 0;
ALTER TABLE environment ADD COLUMN display_names INTEGER NOT NULL DEFAULT 0;
ALTER TABLE environment ADD COLUMN content_lifetime_days INTEGER NOT NULL DEFAULT 30;
ALTER TABLE environment ADD COLUMN new_device_trust TEXT NOT NULL DEFAULT 'PENDING';
ALTER TABLE environment ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
ALTER TABLE environment ADD COLUMN closing_ends_at INTEGER;
