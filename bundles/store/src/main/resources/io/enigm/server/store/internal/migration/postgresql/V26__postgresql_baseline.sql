-- The schema of an installation on PostgreSQL, as the SQLite migrations V1 to V26 leave it: a new
-- PostgreSQL database starts here, and later migrations run on both engines. Differences from
-- SQLite: BIGINT for SQLite's 64-bit INTEGER, BYTEA for BLOB, an identity column for
-- AUTOINCREMENT, tables created after those they refer to, text compared by bytes (COLLATE "C",
-- as SQLite compares it, so that keyset pages order the same on both), and append-only rules as
-- trigger functions. SchemaEquivalenceTest compares the two schemas table by table.

CREATE TABLE environment (
    id            TEXT COLLATE "C" PRIMARY KEY,
    server_id     TEXT COLLATE "C" NOT NULL UNIQUE,
    name          TEXT COLLATE "C" NOT NULL,
    region_label  TEXT COLLATE "C",
    state         TEXT COLLATE "C" NOT NULL,
    created_at    BIGINT NOT NULL
, member_directory BIGINT NOT NULL DEFAULT 0, display_names BIGINT NOT NULL DEFAULT 0, content_lifetime_days BIGINT NOT NULL DEFAULT 30, new_device_trust TEXT COLLATE "C" NOT NULL DEFAULT 'PENDING', closing_ends_at BIGINT, surfaces TEXT COLLATE "C" NOT NULL DEFAULT 'MESSAGES,ATTACHMENTS,MEDIA,CALLS', auto_restrict_failures BIGINT NOT NULL DEFAULT 0, auto_restrict_window_seconds BIGINT NOT NULL DEFAULT 600);

CREATE TABLE admin_token (
    id              TEXT COLLATE "C" PRIMARY KEY,
    token_hash      TEXT COLLATE "C" NOT NULL UNIQUE,
    role            TEXT COLLATE "C" NOT NULL,
    environment_id  TEXT COLLATE "C" REFERENCES environment (id),
    label           TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT,
    revoked_at      BIGINT,
    last_used_at    BIGINT,
    issued_by       TEXT COLLATE "C" REFERENCES admin_token (id),
    CHECK (CASE role WHEN 'OWNER' THEN environment_id IS NULL
                     WHEN 'SECURITY_REVIEWER' THEN TRUE
                     ELSE environment_id IS NOT NULL END)
);

CREATE TABLE audit_record (
    sequence        BIGINT PRIMARY KEY,
    recorded_at     BIGINT NOT NULL,
    actor           TEXT COLLATE "C",
    role            TEXT COLLATE "C",
    environment_id  TEXT COLLATE "C",
    action          TEXT COLLATE "C" NOT NULL,
    target          TEXT COLLATE "C",
    outcome         TEXT COLLATE "C" NOT NULL,
    category        TEXT COLLATE "C",
    previous_hash   TEXT COLLATE "C" NOT NULL,
    hash            TEXT COLLATE "C" NOT NULL
, changes TEXT COLLATE "C", salt TEXT COLLATE "C");

CREATE TABLE audit_checkpoint (
    sequence    BIGINT PRIMARY KEY,
    hash        TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    signature   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE audit_retention (
    sequence    BIGINT PRIMARY KEY,
    hash        TEXT COLLATE "C" NOT NULL,
    created_at  BIGINT NOT NULL,
    signature   TEXT COLLATE "C" NOT NULL
);

CREATE TABLE audit_pruning (
    id BIGINT PRIMARY KEY CHECK (id = 1)
);

CREATE TABLE environment_key (
    environment_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES environment (id),
    nonce           BYTEA NOT NULL,
    wrapped_key     BYTEA NOT NULL,
    created_at      BIGINT NOT NULL
);

CREATE TABLE critical_operation_pin (
    id               BIGINT PRIMARY KEY CHECK (id = 1),
    algorithm        TEXT COLLATE "C",
    iterations       BIGINT,
    salt             BYTEA,
    hash             BYTEA,
    changed_at       BIGINT,
    failed_attempts  BIGINT NOT NULL DEFAULT 0,
    locked_until     BIGINT
);

CREATE TABLE member (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    account_handle  TEXT COLLATE "C" NOT NULL,
    role            TEXT COLLATE "C" NOT NULL,
    state           TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
, display_name TEXT COLLATE "C");

CREATE TABLE device (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    member_id       TEXT COLLATE "C" NOT NULL REFERENCES member (id),
    key_handle      TEXT COLLATE "C" NOT NULL,
    public_key      BYTEA NOT NULL,
    fingerprint     TEXT COLLATE "C" NOT NULL,
    trust           TEXT COLLATE "C" NOT NULL,
    replaced_by     TEXT COLLATE "C" REFERENCES device (id),
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE join_request (
    id              TEXT COLLATE "C" PRIMARY KEY,
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    state           TEXT COLLATE "C" NOT NULL,
    account_handle  TEXT COLLATE "C",
    key_handle      TEXT COLLATE "C",
    public_key      BYTEA,
    display_name    TEXT COLLATE "C",
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    decided_at      BIGINT,
    member_id       TEXT COLLATE "C" REFERENCES member (id),
    device_id       TEXT COLLATE "C" REFERENCES device (id)
);

CREATE TABLE invite (
    id               TEXT COLLATE "C" PRIMARY KEY,
    environment_id   TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    code_hash        TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    used_at          BIGINT,
    revoked_at       BIGINT,
    issued_by        TEXT COLLATE "C" NOT NULL,
    issuer_role      TEXT COLLATE "C" NOT NULL,
    join_request_id  TEXT COLLATE "C" REFERENCES join_request (id)
);

CREATE TABLE session (
    id              TEXT COLLATE "C" PRIMARY KEY,
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    member_id       TEXT COLLATE "C" NOT NULL REFERENCES member (id),
    device_id       TEXT COLLATE "C" NOT NULL REFERENCES device (id),
    token_hash      TEXT COLLATE "C" NOT NULL UNIQUE,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    closed_at       BIGINT
, policy_version BIGINT, decision_warnings TEXT COLLATE "C", authenticated_at BIGINT, signals TEXT COLLATE "C");

CREATE TABLE policy_version (
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    version         BIGINT NOT NULL,
    document        TEXT COLLATE "C" NOT NULL,
    author          TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (environment_id, version)
);

CREATE TABLE policy_grace (
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    device_id       TEXT COLLATE "C" NOT NULL,
    requirement     TEXT COLLATE "C" NOT NULL,
    met_at          BIGINT NOT NULL,
    failing_since   BIGINT,
    PRIMARY KEY (environment_id, device_id, requirement)
);

CREATE TABLE attestation_record (
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    device_id       TEXT COLLATE "C" NOT NULL,
    provider_type   TEXT COLLATE "C" NOT NULL,
    provider_bundle TEXT COLLATE "C" NOT NULL,
    record_key      TEXT COLLATE "C" NOT NULL,
    value_json      TEXT COLLATE "C" NOT NULL,
    updated_at      BIGINT NOT NULL,
    PRIMARY KEY (environment_id, device_id, provider_type, provider_bundle, record_key)
);

CREATE TABLE attestation_binding (
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    category        TEXT COLLATE "C" NOT NULL,
    handle          TEXT COLLATE "C" NOT NULL,
    device_id       TEXT COLLATE "C" NOT NULL,
    bound_at        BIGINT NOT NULL,
    PRIMARY KEY (environment_id, category, handle)
);

CREATE TABLE content_object (
    seq             BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    id              TEXT COLLATE "C" NOT NULL UNIQUE,
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    sender_member   TEXT COLLATE "C" NOT NULL,
    sender_device   TEXT COLLATE "C" NOT NULL,
    surface         TEXT COLLATE "C" NOT NULL,
    size            BIGINT NOT NULL,
    etag            TEXT COLLATE "C" NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    for_everyone    BIGINT NOT NULL,
    inline_bytes    BYTEA
, deletion_id TEXT COLLATE "C");

CREATE TABLE content_recipient (
    object_seq      BIGINT NOT NULL REFERENCES content_object (seq),
    member_id       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (object_seq, member_id)
);

CREATE TABLE legal_hold (
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    member_id       TEXT COLLATE "C",
    reason          TEXT COLLATE "C" NOT NULL,
    placed_at       BIGINT NOT NULL,
    ends_at         BIGINT
);

CREATE TABLE idempotent_answer (
    scope            TEXT COLLATE "C" NOT NULL,
    idempotency_key  TEXT COLLATE "C" NOT NULL,
    request_hash     BYTEA NOT NULL,
    status           BIGINT NOT NULL,
    location         TEXT COLLATE "C",
    created_id       TEXT COLLATE "C",
    body             BYTEA,
    created_at       BIGINT NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);

CREATE TABLE content_deletion (
    id              TEXT COLLATE "C" PRIMARY KEY,
    environment_id  TEXT COLLATE "C" NOT NULL REFERENCES environment (id),
    scope           TEXT COLLATE "C" NOT NULL,
    member_id       TEXT COLLATE "C",
    objects         BIGINT NOT NULL,
    bytes           BIGINT NOT NULL,
    erased          BIGINT NOT NULL,
    requested_at    BIGINT NOT NULL,
    completed_at    BIGINT,
    audit_sequence  BIGINT,
    audit_hash      TEXT COLLATE "C"
);

CREATE TABLE security_event (
    id              TEXT COLLATE "C" PRIMARY KEY,
    environment_id  TEXT COLLATE "C" REFERENCES environment (id),
    category        TEXT COLLATE "C" NOT NULL,
    risk            TEXT COLLATE "C" NOT NULL,
    subject_handle  TEXT COLLATE "C",
    created_at      BIGINT NOT NULL,
    occurrences     BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE webhook_cursor (
    id             BIGINT PRIMARY KEY CHECK (id = 1),
    newest_created BIGINT NOT NULL
);

CREATE TABLE webhook_event (
    event_id       TEXT COLLATE "C" PRIMARY KEY,
    event_created  BIGINT NOT NULL
);

CREATE TABLE webhook_batch (
    id               TEXT COLLATE "C" PRIMARY KEY,
    target           TEXT COLLATE "C" NOT NULL,
    body             TEXT COLLATE "C" NOT NULL,
    events           BIGINT NOT NULL,
    state            TEXT COLLATE "C" NOT NULL,
    attempts         BIGINT NOT NULL,
    next_attempt_at  BIGINT NOT NULL,
    created_at       BIGINT NOT NULL,
    last_failure     TEXT COLLATE "C",
    delivered_at     BIGINT
);

CREATE INDEX environment_by_creation ON environment (created_at, id);

CREATE INDEX audit_record_by_environment ON audit_record (environment_id, sequence);

CREATE INDEX environment_by_closing ON environment (state, closing_ends_at);

CREATE INDEX join_request_by_state ON join_request (environment_id, state, created_at, id);

CREATE INDEX invite_by_environment ON invite (environment_id, created_at, id);

CREATE INDEX session_by_environment ON session (environment_id, created_at, id);

CREATE INDEX session_by_member ON session (member_id, closed_at);

CREATE INDEX session_by_device ON session (device_id, closed_at);

CREATE INDEX join_request_pending_expiry ON join_request (environment_id, expires_at) WHERE state = 'PENDING';

CREATE UNIQUE INDEX join_request_pending_account_key ON join_request (environment_id, account_handle, key_handle) WHERE state = 'PENDING';

CREATE INDEX attestation_binding_device ON attestation_binding (environment_id, device_id);

CREATE UNIQUE INDEX member_by_account ON member (environment_id, account_handle) WHERE state <> 'REMOVED';

CREATE INDEX member_by_environment ON member (environment_id, created_at, id);

CREATE INDEX member_by_state ON member (environment_id, state, created_at, id);

CREATE INDEX member_by_role ON member (environment_id, role, created_at, id);

CREATE UNIQUE INDEX device_by_key ON device (environment_id, key_handle);

CREATE INDEX device_by_environment ON device (environment_id, created_at, id);

CREATE INDEX device_by_member ON device (member_id, created_at, id);

CREATE INDEX content_object_by_environment ON content_object (environment_id, seq);

CREATE INDEX content_object_by_sender ON content_object (environment_id, sender_member);

CREATE INDEX content_object_by_expiry ON content_object (expires_at);

CREATE INDEX content_recipient_by_member ON content_recipient (member_id, object_seq);

CREATE UNIQUE INDEX legal_hold_by_subject ON legal_hold (environment_id, COALESCE(member_id, ''));

CREATE INDEX idempotent_answer_by_age ON idempotent_answer (created_at);

CREATE INDEX content_deletion_running ON content_deletion (requested_at) WHERE completed_at IS NULL;

CREATE INDEX content_object_by_deletion ON content_object (deletion_id, seq) WHERE deletion_id IS NOT NULL;

CREATE INDEX admin_token_by_environment ON admin_token (environment_id);

CREATE INDEX admin_token_by_creation ON admin_token (created_at, id);

CREATE INDEX admin_token_by_issuer ON admin_token (issued_by);

CREATE INDEX security_event_by_environment ON security_event (environment_id, created_at, id);

CREATE INDEX security_event_by_time ON security_event (created_at, id);

CREATE INDEX webhook_event_by_time ON webhook_event (event_created);

CREATE INDEX webhook_batch_due ON webhook_batch (state, next_attempt_at);

CREATE INDEX webhook_batch_by_state ON webhook_batch (state, created_at, id);

-- The one row the critical-operation PIN is kept in, without a PIN until one is set (V3).
INSERT INTO critical_operation_pin (id, failed_attempts) VALUES (1, 0);

-- Append-only tables: updates are refused always, deletions unless audit retention is pruning
-- (a row in audit_pruning, present only inside the pruning transaction).
CREATE FUNCTION enigm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
    END;
$$;

CREATE FUNCTION enigm_refuse_delete_unless_pruning() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM audit_pruning) THEN
            RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
        END IF;
        RETURN OLD;
    END;
$$;

CREATE TRIGGER audit_record_no_update BEFORE UPDATE ON audit_record
FOR EACH ROW EXECUTE FUNCTION enigm_refuse_change();

CREATE TRIGGER audit_checkpoint_no_update BEFORE UPDATE ON audit_checkpoint
FOR EACH ROW EXECUTE FUNCTION enigm_refuse_change();

CREATE TRIGGER audit_retention_no_update BEFORE UPDATE ON audit_retention
FOR EACH ROW EXECUTE FUNCTION enigm_refuse_change();

CREATE TRIGGER audit_retention_no_delete BEFORE DELETE ON audit_retention
FOR EACH ROW EXECUTE FUNCTION enigm_refuse_change();

CREATE TRIGGER audit_record_no_delete BEFORE DELETE ON audit_record
FOR EACH ROW EXECUTE FUNCTION enigm_refuse_delete_unless_pruning();

CREATE TRIGGER audit_checkpoint_no_delete BEFORE DELETE ON audit_checkpoint
FOR EACH ROW EXECUTE FUNCTION enigm_refuse_delete_unless_pruning();
