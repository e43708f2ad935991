-- Revoking a token revokes every token minted from it: the tree is walked by issuer.
CREATE INDEX IF NOT EXISTS admin_token_by_issuer ON admin_token (issued_by);

-- Earlier versions revoked one token alone; what such a token minted, however indirectly, is
-- revoked now, at the time its revoked ancestor was.
WITH RECURSIVE revoked_tree(id, revoked_at) AS (
    SELECT id, revoked_at FROM admin_token WHERE revoked_at IS NOT NULL
    UNION
    SELECT admin_token.id, revoked_tree.revoked_at FROM admin_token JOIN revoked_tree ON admin_token.issued_by = revoked_tree.id
)
UPDATE admin_token SET revoked_at = (SELECT MIN(revoked_at) FROM revoked_tree WHERE revoked_tree.id = admin_token.id)
WHERE revoked_at IS NULL AND id IN (SELECT id FROM revoked_tree);
