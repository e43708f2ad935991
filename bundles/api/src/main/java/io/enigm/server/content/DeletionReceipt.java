package io.enigm.server.content;

import java.time.Instant;

/**
 * What a completed deletion job leaves its requester: scope, counts and times, sealed by the audit
 * record of its completion. Anyone may later find that record in the audit log by its sequence and
 * check that it still carries this hash and that the chain verifies.
 *
 * @param jobId         the job
 * @param environmentId the environment
 * @param scope         what was erased
 * @param memberId      whose content (scope {@code MEMBER}), else {@code null}
 * @param objects       how many objects were erased
 * @param bytes         their total size
 * @param requestedAt   when the job started (and its objects vanished)
 * @param completedAt   when the last of them was erased
 * @param auditSequence the sequence of the audit record {@code content.deletion.complete} that seals it
 * @param auditHash     that record's hash (hex)
 */
public record DeletionReceipt(String jobId, String environmentId, DeletionScope scope, String memberId,
        long objects, long bytes, Instant requestedAt, Instant completedAt, long auditSequence, String auditHash) {
}
