-- Issue 14. The provider signals a session's opening or renewal established, each with its expiry
-- (`OS_POSTURE=<millis>,…`): a content decision later in the session counts them until they expire,
-- since a proof bound to one session attempt (an OS posture statement) cannot be shown again.
ALTER TABLE session ADD COLUMN signals TEXT;
