-- Issue 15. The Enigm Intelligence webhook's durable outbox. Security events are keyed by a time kept
-- to the minute and an id whose order within a millisecond is random, so the outbox does not follow
-- a cursor alone: it looks back from the newest event it batched (webhook_cursor) and remembers which
-- events it has batched (webhook_event), each exactly once, whatever order they were stored in.
CREATE TABLE webhook_cursor (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    newest_created INTEGER NOT NULL
);

CREATE TABLE webhook_event (
    event_id       TEXT PRIMARY KEY,
    event_created  INTEGER NOT NULL
);
CREATE INDEX webhook_event_by_time ON webhook_event (event_created);

CREATE TABLE webhook_batch (
    id               TEXT PRIMARY KEY,
    target           TEXT NOT NULL,
    body             TEXT NOT NULL,
    events           INTEGER NOT NULL,
    state            TEXT NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,
    last_failure     TEXT,
    delivered_at     INTEGER
);
CREATE INDEX webhook_batch_due ON webhook_batch (state, next_attempt_at);
CREATE INDEX webhook_batch_by_state ON webhook_batch (state, created_at, id);
