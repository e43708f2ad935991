package io.enigm.server.audit;

/**
 * What checking the whole audit chain found.
 *
 * @param records             how many records were read
 * @param intact              whether every record is where the chain says it belongs, unchanged
 * @param firstBrokenSequence the sequence number where the chain first breaks, {@code null} when intact
 * @param problem             how it breaks there, {@code null} when intact
 * @param headSequence        the last record's sequence number, 0 for an empty log
 * @param headHash            the last record's hash, the genesis hash for an empty log
 */
public record AuditVerification(long records, boolean intact, Long firstBrokenSequence, Problem problem,
        long headSequence, String headHash) {

    /** How a chain can break. */
    public enum Problem {
        /** A sequence number is missing, repeated or out of order: a record was removed, added or moved. */
        SEQUENCE_GAP,
        /** A record does not name its predecessor's hash: a record before it was removed, added or replaced. */
        PREVIOUS_HASH_MISMATCH,
        /** A record's fields no longer give its hash: the record was changed. */
        HASH_MISMATCH,
        /** A signed checkpoint names another hash for this record, or its signature is not the installation's. */
        CHECKPOINT_MISMATCH,
        /** The latest signed checkpoint vouches for records beyond the end: records were cut from the end. */
        TRUNCATED
    }
}
