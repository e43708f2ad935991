-- The policy action FETCH_CONTENT became READ_CONTENT when content arrived (issue 14), beside
-- UPLOAD_CONTENT and DELETE_CONTENT. Stored versions are rewritten to the new name so that they
-- still compile after an upgrade (a document naming an unknown action would deny everything). The
-- name is only ever a JSON string in a rule's "actions", so the quoted token is replaced exactly.
UPDATE policy_version SET document = replace(document, '"FETCH_CONTENT"', '"READ_CONTENT"')
WHERE document LIKE '%"FETCH_CONTENT"%';
