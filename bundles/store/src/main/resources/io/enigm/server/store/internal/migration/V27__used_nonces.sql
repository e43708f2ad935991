-- Nonces already used, until they expire, for the nodes of an installation on one shared database
-- (one process keeps them in memory instead): a nonce one node accepted is refused by every other.
CREATE TABLE used_nonce (
    nonce       TEXT NOT NULL PRIMARY KEY,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX used_nonce_by_expiry ON used_nonce (expires_at);
