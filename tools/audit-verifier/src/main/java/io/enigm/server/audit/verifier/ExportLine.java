package io.enigm.server.audit.verifier;

import java.util.List;

import io.enigm.server.support.audit.AuditChain;

/**
 * One line of an export, every field any line type has (docs/audit.md); a field a line lacks is
 * {@code null}. Unknown fields make the line unreadable: the verifier checks what it understands.
 */
record ExportLine(String type, Integer format, Long firstSequence, String checkpointKey, Long sequence,
        Long createdAt, String signature, Long recordedAt, String actor, String role, String environmentId,
        String action, String target, String outcome, String category, List<AuditChain.Change> changes, String salt,
        String entryDigest, String previousHash, String hash) {

    static final String HEADER = "header";
    static final String CHECKPOINT = "checkpoint";
    static final String RETENTION = "retention";
    static final String RECORD = "record";
    static final String WITHHELD = "withheld";
    static final String HEAD = "head";

    /**
     * The hash this record or withheld record's content gives if it stands at {@code at}, or
     * {@code null} when it cannot be computed: a withheld record from before salts, which has no
     * entry digest.
     */
    String hashAt(long at) {
        if (RECORD.equals(type)) {
            return AuditChain.hash(previousHash, at, new AuditChain.Entry(recordedAt, actor, role, environmentId,
                    action, target, outcome, category, changes, salt));
        }
        return entryDigest == null ? null : AuditChain.link(previousHash, at, entryDigest);
    }
}
