-- A pending request's key never changes: a second request of one account with another key is a
-- separate request, so one account may have several pending requests, one per device key.
DROP INDEX join_request_pending_account;
CREATE UNIQUE INDEX join_request_pending_account_key ON join_request (environment_id, account_handle, key_handle) WHERE state = 'PENDING';
