package io.enigm.server.audit;

import java.io.OutputStream;
import java.util.function.Consumer;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The installation's append-only audit log. Records are never changed or removed through this
 * service; each one is chained to the one before it by a hash.
 */
@ProviderType
public interface AuditLog {

    /**
     * Appends a record. Called inside a {@link io.enigm.server.store.Database} transaction it
     * commits with that transaction, so an action and its record are stored together or not at all.
     */
    AuditRecord append(AuditEntry entry);

    /**
     * Records in the order they were appended.
     *
     * @param environmentId only that environment's records, or {@code null} for all
     */
    Page<AuditRecord> list(String environmentId, PageRequest page);

    /**
     * Reads the whole log in order and checks that each record carries the next sequence number,
     * names its predecessor's hash and still hashes to its own, and that the signed checkpoints of
     * the chain's head agree with it: any change, removal, insertion or reordering breaks one of
     * these, and so does cutting records from the end up to the latest checkpoint.
     */
    AuditVerification verify();

    /** Hands every record, oldest first, to {@code action}, reading them in one pass as they are used. */
    void forEach(Consumer<AuditRecord> action);

    /**
     * Writes an export that verifies with no access to the server, as JSON Lines (UTF-8): a header
     * (format, where the exported chain starts, the checkpoint public key), every signed checkpoint,
     * every record in order with exactly the fields its hash covers, and a head: the last record's
     * hash signed at export, so that an export cut short shows. An environment's export
     * shows that environment's records and stands each other record in by its link alone (sequence,
     * previous hash, salted entry digest, hash), so the chain is still proven without disclosing it.
     * The format is described in {@code docs/audit.md}.
     *
     * @param environmentId the environment whose records are shown, or {@code null} for all
     * @param out           written, not closed; a failure to write is thrown as {@link java.io.UncheckedIOException}
     * @since 1.3
     */
    void export(String environmentId, OutputStream out);

    /**
     * How long the chain is, its latest signed checkpoint, and what its latest verification since
     * this server started found: it counts the records but reads none of them, so a page can show it.
     *
     * @since 1.4
     */
    AuditStatus status();
}
