-- Which token minted a token: its issuer may revoke it.
ALTER TABLE admin_token ADD COLUMN issued_by TEXT REFERENCES admin_token (id);
CREATE INDEX admin_token_by_creation ON admin_token (created_at, id);
