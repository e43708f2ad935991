-- Versioned access policies per environment, and the grace-period ledger (issue 5). Version 0 is
-- the built-in policy and is never stored. Timestamps are epoch millis.
CREATE TABLE policy_version (
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    version         INTEGER NOT NULL,
    document        TEXT NOT NULL,
    author          TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    PRIMARY KEY (environment_id, version)
);

-- Per device and graceable requirement (OS posture, managed-device compliance): when the device was
-- last seen meeting it, and since when it has been failing it after that. A rule's grace period runs
-- from failing_since. Rows hold random ids and times only; the policy bundle erases them once the
-- environment is deleted. No foreign key to device, so that erasing devices does not wait on it.
CREATE TABLE policy_grace (
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    device_id       TEXT NOT NULL,
    requirement     TEXT NOT NULL,
    met_at          INTEGER NOT NULL,
    failing_since   INTEGER,
    PRIMARY KEY (environment_id, device_id, requirement)
);
