-- A random salt per audit record: a record appended from now on is hashed as a salted digest of its
-- entry, then a link over the previous hash, its sequence and that digest, so that an environment's
-- export can show another environment's records as their links alone and still prove the chain.
-- Records from before keep no salt and their one-step hash.
ALTER TABLE audit_record ADD COLUMN salt TEXT;
