package io.enigm.server.audit;

import java.time.Instant;

/**
 * Where the audit chain stands, for the operator's console.
 *
 * @param records          how many records the log holds now
 * @param headSequence     the last record's sequence number, 0 for an empty log
 * @param lastCheckpoint   the latest signed checkpoint, {@code null} before the first
 * @param lastVerification the latest verification of the whole chain since this server started,
 *                         {@code null} before the first
 * @since 1.4
 */
public record AuditStatus(long records, long headSequence, Checkpoint lastCheckpoint, Verification lastVerification) {

    /** A signed checkpoint: the chain's head at {@code sequence}, signed at {@code signedAt}. */
    public record Checkpoint(long sequence, Instant signedAt) {
    }

    /** A verification of the whole chain ({@link AuditLog#verify}) that finished at {@code finishedAt}. */
    public record Verification(Instant finishedAt, AuditVerification result) {
    }
}
