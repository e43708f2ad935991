-- Pending join requests by expiry: marking the overdue ones, done before each new request is filed,
-- seeks to them instead of reading every pending row of the environment.
CREATE INDEX join_request_pending_expiry ON join_request (environment_id, expires_at) WHERE state = 'PENDING';
