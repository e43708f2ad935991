package io.enigm.server.audit;

import java.time.Instant;

/**
 * A stored audit record: its entry, its place in the log and its link in the hash chain.
 *
 * @param sequence     position in the installation's log, starting at 1, without gaps
 * @param recordedAt   when it was appended
 * @param entry        what it says
 * @param previousHash hash of the record before it (hex), all zeros for the first
 * @param hash         SHA-256 over the previous hash and this record's canonical form (hex)
 */
public record AuditRecord(long sequence, Instant recordedAt, AuditEntry entry, String previousHash,
        String hash) {
}
