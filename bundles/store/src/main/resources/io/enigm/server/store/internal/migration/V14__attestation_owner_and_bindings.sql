-- Issue 12. A provider's records belong to the provider that wrote them: its type and the symbolic
-- name of the bundle that registered it, so that another bundle registering the same type later
-- starts with nothing. Existing rows go to the built-in bundle of their type; rows of any other
-- type belonged to a provider nobody can name any more and stay unreadable ('') until erased.
CREATE TABLE attestation_record_owned (
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    device_id       TEXT NOT NULL,
    provider_type   TEXT NOT NULL,
    provider_bundle TEXT NOT NULL,
    record_key      TEXT NOT NULL,
    value_json      TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (environment_id, device_id, provider_type, provider_bundle, record_key)
);
INSERT INTO attestation_record_owned (environment_id, device_id, provider_type, provider_bundle, record_key,
        value_json, updated_at)
    SELECT environment_id, device_id, provider_type,
        CASE provider_type
            WHEN 'enigm-key' THEN 'io.enigm.server.provider.key'
            WHEN 'esim' THEN 'io.enigm.server.provider.esim'
            WHEN 'managed-device' THEN 'io.enigm.server.provider.managed-device'
            WHEN 'os-posture' THEN 'io.enigm.server.provider.os-posture'
            ELSE '' END,
        record_key, value_json, updated_at
    FROM attestation_record
;
DROP TABLE attestation_record;
ALTER TABLE attestation_record_owned RENAME TO attestation_record;

-- An external identifier's handle (an ICCID, a Key's serial or public key) vouches for one device
-- of an environment per category. Erased with the environment (io.enigm.server.attestation).
CREATE TABLE attestation_binding (
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    category        TEXT NOT NULL,
    handle          TEXT NOT NULL,
    device_id       TEXT NOT NULL,
    bound_at        INTEGER NOT NULL,
    PRIMARY KEY (environment_id, category, handle)
);
CREATE INDEX attestation_binding_device ON attestation_binding (environment_id, device_id);

-- Identifiers already in use keep their first device; later duplicates stay as they are until an
-- administrator unlinks them, but cannot bind anew.
INSERT OR IGNORE INTO attestation_binding (environment_id, category, handle, device_id, bound_at)
    SELECT environment_id, 'ESIM_BINDING', json_extract(value_json, '$.iccid'), device_id, updated_at
    FROM attestation_record
    WHERE provider_type = 'esim' AND record_key = 'profile'
        AND json_extract(value_json, '$.state') IN ('ACTIVATED', 'BOUND')
    ORDER BY updated_at
;
INSERT OR IGNORE INTO attestation_binding (environment_id, category, handle, device_id, bound_at)
    SELECT environment_id, 'HARDWARE_KEY', json_extract(value_json, '$.serial'), device_id, updated_at
    FROM attestation_record
    WHERE provider_type = 'enigm-key' AND record_key = 'key'
        AND json_extract(value_json, '$.state') IN ('LINKED', 'LOST')
    ORDER BY updated_at
;
