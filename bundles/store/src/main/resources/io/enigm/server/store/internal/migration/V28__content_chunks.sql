-- The bytes of large objects kept in the database, for the nodes of an installation on one shared
-- database (one process keeps them in the data home's files instead). An upload registers its new
-- object id, then writes its bytes in chunks of about 1 MiB as they arrive, keyed by the offset of
-- their first byte, touching its registration with each; the transaction that stores the object's
-- row ends the registration. A registration nobody has touched for a long while is an upload that
-- never stored its object: it is removed with its chunks.
CREATE TABLE content_upload (
    object_id   TEXT NOT NULL PRIMARY KEY,
    touched_at  BIGINT NOT NULL
);
CREATE INDEX content_upload_by_touch ON content_upload (touched_at);

CREATE TABLE content_chunk (
    object_id   TEXT NOT NULL,
    first_byte  BIGINT NOT NULL,
    bytes       BYTEA NOT NULL,
    PRIMARY KEY (object_id, first_byte)
);
