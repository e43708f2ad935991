package io.enigm.server.audit.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.internal.CheckpointSigner.Checkpoint;
import io.enigm.server.support.audit.AuditChain;

/**
 * Writes the JSON Lines export (format 1, docs/audit.md): a {@code header} line, the latest
 * {@code retention} statement when the retention has removed records, a {@code checkpoint} line per
 * signed checkpoint, then per record in order a {@code record} line with exactly what its
 * hash covers, or, in an environment's export, a {@code withheld} line for another environment's
 * record: its link alone, which proves the chain without saying anything the record states. A last
 * {@code head} line signs the last record's hash as the export's checkpoint, so an export cut short
 * anywhere, even after the latest stored checkpoint, shows.
 */
final class ChainExport {

    static final int FORMAT = 1;
    private static final JsonFactory JSON = new JsonFactory();

    private final JsonGenerator line;
    private final String environmentId;
    /** The last record written: what the head line signs. */
    private AuditRecord last;

    private ChainExport(OutputStream out, String environmentId) throws IOException {
        // lines end in a newline of their own, not in the space that separates root values by default
        this.line = JSON.createGenerator(out).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .setRootValueSeparator(null);
        this.environmentId = environmentId;
    }

    /**
     * Writes the export from one read transaction, so that its checkpoints and records are one snapshot.
     *
     * @param kept the checkpoint copy from the secrets directory, exported too when the table lacks it
     */
    static void write(Handle handle, OutputStream out, String environmentId, CheckpointSigner signer, Checkpoint kept,
            long now) {
        try {
            ChainExport export = new ChainExport(out, environmentId);
            StoredRecord first = handle.createQuery("SELECT * FROM audit_record ORDER BY sequence LIMIT 1")
                    .map((rs, ctx) -> StoredRecord.of(rs)).findOne().orElse(null);
            export.header(first == null ? 1 : first.record().sequence(),
                    first == null ? AuditChain.GENESIS_HASH : first.record().previousHash(), signer.publicKey());
            Optional<Checkpoint> retained = HashChainedAuditLog.latestRetention(handle);
            if (retained.isPresent()) {
                export.checkpoint("retention", retained.get());
            }
            List<Checkpoint> checkpoints = handle.createQuery("SELECT * FROM audit_checkpoint ORDER BY sequence")
                    .map((rs, ctx) -> HashChainedAuditLog.checkpoint(rs)).list();
            for (Checkpoint checkpoint : checkpoints) {
                export.checkpoint("checkpoint", checkpoint);
            }
            if (kept != null && !checkpoints.contains(kept)) {
                export.checkpoint("checkpoint", kept);
            }
            handle.createQuery("SELECT * FROM audit_record ORDER BY sequence")
                    .setFetchSize(1000)
                    .map((rs, ctx) -> StoredRecord.of(rs))
                    .forEach(export::record);
            export.checkpoint("head", export.last == null
                    ? signer.sign(0, AuditChain.GENESIS_HASH, now)
                    : signer.sign(export.last.sequence(), export.last.hash(), now));
            export.line.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void header(long firstSequence, String previousHash, byte[] publicKey) throws IOException {
        line.writeStartObject();
        line.writeStringField("type", "header");
        line.writeNumberField("format", FORMAT);
        line.writeStringField("environmentId", environmentId);
        line.writeNumberField("firstSequence", firstSequence);
        line.writeStringField("previousHash", previousHash);
        line.writeStringField("checkpointKey", Base64.getEncoder().encodeToString(publicKey));
        end();
    }

    private void checkpoint(String type, Checkpoint checkpoint) throws IOException {
        line.writeStartObject();
        line.writeStringField("type", type);
        line.writeNumberField("sequence", checkpoint.sequence());
        line.writeStringField("hash", checkpoint.hash());
        line.writeNumberField("createdAt", checkpoint.createdAt());
        line.writeStringField("signature", checkpoint.signature());
        end();
    }

    private void record(StoredRecord stored) {
        AuditRecord record = stored.record();
        try {
            line.writeStartObject();
            if (environmentId == null || Objects.equals(environmentId, record.entry().environmentId())) {
                AuditChain.Entry entry = stored.chainEntry();
                line.writeStringField("type", "record");
                line.writeNumberField("sequence", record.sequence());
                line.writeNumberField("recordedAt", entry.recordedAt());
                line.writeStringField("actor", entry.actor());
                line.writeStringField("role", entry.role());
                line.writeStringField("environmentId", entry.environmentId());
                line.writeStringField("action", entry.action());
                line.writeStringField("target", entry.target());
                line.writeStringField("outcome", entry.outcome());
                line.writeStringField("category", entry.category());
                changes(entry.changes());
                line.writeStringField("salt", entry.salt());
            } else {
                line.writeStringField("type", "withheld");
                line.writeNumberField("sequence", record.sequence());
                // an unsalted record has no digest to stand in for it: its link is taken on the export's word
                line.writeStringField("entryDigest", stored.salt() == null ? null
                        : AuditChain.entryDigest(stored.chainEntry()));
            }
            line.writeStringField("previousHash", record.previousHash());
            line.writeStringField("hash", record.hash());
            end();
            last = record;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An update's changed fields, in the order the hash covers them; an empty array for any other record. */
    private void changes(List<AuditChain.Change> changes) throws IOException {
        line.writeArrayFieldStart("changes");
        for (AuditChain.Change change : changes) {
            line.writeStartObject();
            line.writeStringField("field", change.field());
            line.writeStringField("before", change.before());
            line.writeStringField("after", change.after());
            line.writeEndObject();
        }
        line.writeEndArray();
    }

    private void end() throws IOException {
        line.writeEndObject();
        line.writeRaw('\n');
    }
}
