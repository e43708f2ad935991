package io.enigm.server.audit.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.support.audit.AuditChain;

/**
 * A row of {@code audit_record}: the record and its salt, which the contract's record leaves out
 * (it proves, it does not inform) but the chain check and the export need.
 *
 * @param salt the record's salt, or {@code null} for a record appended before salts
 */
record StoredRecord(AuditRecord record, String salt) {

    static StoredRecord of(ResultSet rs) throws SQLException {
        return new StoredRecord(new AuditRecord(rs.getLong("sequence"), Instant.ofEpochMilli(rs.getLong("recorded_at")),
                new AuditEntry(rs.getString("actor"), rs.getString("role"), rs.getString("environment_id"),
                        rs.getString("action"), rs.getString("target"), AuditOutcome.valueOf(rs.getString("outcome")),
                        rs.getString("category"), ChangesColumn.read(rs.getString("changes"))),
                rs.getString("previous_hash"), rs.getString("hash")), rs.getString("salt"));
    }

    /** What the record states, in the chain's canonical form. */
    AuditChain.Entry chainEntry() {
        return chainEntry(record.recordedAt(), record.entry(), salt);
    }

    /** Whether the record's fields and its predecessor's hash still give its own hash. */
    boolean hashes() {
        return record.hash().equals(AuditChain.hash(record.previousHash(), record.sequence(), chainEntry()));
    }

    static AuditChain.Entry chainEntry(Instant recordedAt, AuditEntry entry, String salt) {
        return new AuditChain.Entry(recordedAt.toEpochMilli(), entry.actor(), entry.role(), entry.environmentId(),
                entry.action(), entry.target(), entry.outcome().name(), entry.category(), entry.changes().stream()
                        .map(change -> new AuditChain.Change(change.field(), change.before(), change.after()))
                        .toList(), salt);
    }
}
