-- Attestation providers' durable records per device (issue 5): a linked key, an eSIM profile's
-- lifecycle, the last managed-device report. Values hold handles and public material only. No
-- foreign key to device: records outlive nothing, they are erased with the environment's data
-- (io.enigm.server.attestation), and a device row may be erased first by the membership eraser.
CREATE TABLE attestation_record (
    environment_id  TEXT NOT NULL REFERENCES environment (id),
    device_id       TEXT NOT NULL,
    provider_type   TEXT NOT NULL,
    record_key      TEXT NOT NULL,
    value_json      TEXT NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (environment_id, device_id, provider_type, record_key)
);
