package io.enigm.server.audit.internal;

import java.io.OutputStream;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.AuditStatus;
import io.enigm.server.audit.AuditVerification;
import io.enigm.server.audit.internal.CheckpointSigner.Checkpoint;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.support.audit.AuditChain;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The audit log in the {@code audit_record} table. Each record carries the SHA-256 of the one
 * before it and of its own canonical form ({@link AuditChain}, which the standalone verifier shares),
 * so a changed, removed, inserted or reordered record breaks the chain. Appends run in the caller's
 * write transaction, which the store serializes, so sequence numbers have no gaps. Every 10,000 records, or a minute after the last one, the
 * head is checkpointed: signed with the installation's audit key into {@code audit_checkpoint} and
 * copied to the secrets directory, so records cut from the end show too.
 */
@Component(service = AuditLog.class)
public class HashChainedAuditLog implements AuditLog {

    static final String GENESIS_HASH = AuditChain.GENESIS_HASH;
    static final int CHECKPOINT_RECORDS = 10_000;
    static final long CHECKPOINT_MILLIS = 60_000;
    private static final Checkpoint NO_CHECKPOINT = new Checkpoint(0, GENESIS_HASH, 0, "");
    private static final SecureRandom SALTS = new SecureRandom();

    private final Database database;
    private final CheckpointSigner signer;
    private final Clock clock;
    private final Timer appends;
    private final RecordInsert insert = new RecordInsert();
    /**
     * The chain's last record, so an append need not look it up. Appends run on the database's one
     * writer thread only; a rolled-back append forgets it and the next one reads it again. On a
     * database shared by nodes, used only in the write transaction that read or wrote it (another
     * node may append as soon as it ends).
     */
    private Link head;
    /** The latest checkpoint, kept like {@link #head}. */
    private Checkpoint checkpointed;
    /** The shared write transaction {@link #head} and {@link #checkpointed} were known in. */
    private long knownIn = -1;
    /** What the latest {@link #verify} found, for {@link #status}; since this server started. */
    private volatile AuditStatus.Verification lastVerification;

    @Activate
    public HashChainedAuditLog(@Reference Database database, @Reference DataHome home,
            @Reference MeterRegistry meters) {
        this(database, home, meters, Clock.systemUTC());
    }

    HashChainedAuditLog(Database database, DataHome home, MeterRegistry meters, Clock clock) {
        this.database = database;
        this.appends = Timer.builder("enigm.audit.append")
                .description("Appending one record to the chain inside its write transaction: hash, insert, checkpoint")
                .register(meters);
        this.signer = new CheckpointSigner(home);
        this.clock = clock;
    }

    @Override
    public AuditRecord append(AuditEntry entry) {
        return database.inTransaction(handle -> appends.record(() -> append(handle, entry)));
    }

    private AuditRecord append(Handle handle, AuditEntry entry) {
        Link last = head != null && known() ? head : handle.createQuery(
                "SELECT sequence, hash FROM audit_record ORDER BY sequence DESC LIMIT 1")
                .map((rs, ctx) -> new Link(rs.getLong(1), rs.getString(2)))
                .findOne()
                .orElse(new Link(0, GENESIS_HASH));
        long sequence = last.sequence() + 1;
        Instant now = Instant.ofEpochMilli(clock.millis());
        String salt = newSalt();
        AuditRecord record = new AuditRecord(sequence, now, entry, last.hash(),
                AuditChain.hash(last.hash(), sequence, StoredRecord.chainEntry(now, entry, salt)));
        insert.run(handle.getConnection(), record, salt);
        head = new Link(sequence, record.hash());
        checkpointIfDue(handle, sequence, record.hash(), now.toEpochMilli());
        knownIn = database.sharedWriteTransaction();
        database.onRollback(() -> {
            head = null;
            checkpointed = null;
        });
        return record;
    }

    @Override
    public Page<AuditRecord> list(String environmentId, PageRequest page) {
        long after = afterSequence(page.cursor());
        List<AuditRecord> records = database.read(handle -> handle.createQuery("SELECT * FROM audit_record"
                + " WHERE sequence > :after" + (environmentId == null ? "" : " AND environment_id = :environmentId")
                + " ORDER BY sequence LIMIT :limit")
                .bind("after", after)
                .bind("environmentId", environmentId)
                .bind("limit", page.limit() + 1)
                .map((rs, ctx) -> StoredRecord.of(rs).record())
                .list());
        if (records.size() <= page.limit()) {
            return new Page<>(records, null);
        }
        List<AuditRecord> items = records.subList(0, page.limit());
        return new Page<>(items, Long.toString(items.get(items.size() - 1).sequence()));
    }

    private record Link(long sequence, String hash) {
    }

    /** Whether what this process keeps of the chain's end is the database's now. */
    private boolean known() {
        return !database.sharedByNodes() || knownIn != -1 && knownIn == database.sharedWriteTransaction();
    }

    private void checkpointIfDue(Handle handle, long sequence, String hash, long now) {
        Checkpoint last = checkpointed != null && known() ? checkpointed
                : latestCheckpoint(handle).orElse(NO_CHECKPOINT);
        if (sequence - last.sequence() < CHECKPOINT_RECORDS && now - last.createdAt() < CHECKPOINT_MILLIS) {
            checkpointed = last;
            return;
        }
        Checkpoint checkpoint = signer.sign(sequence, hash, now);
        handle.createUpdate("INSERT INTO audit_checkpoint (sequence, hash, created_at, signature)"
                + " VALUES (:sequence, :hash, :createdAt, :signature)")
                .bind("sequence", checkpoint.sequence()).bind("hash", checkpoint.hash())
                .bind("createdAt", checkpoint.createdAt()).bind("signature", checkpoint.signature())
                .execute();
        checkpointed = checkpoint;
        database.afterCommit(() -> signer.keepLatest(checkpoint));
    }

    private static Optional<Checkpoint> latestCheckpoint(Handle handle) {
        return handle.createQuery("SELECT * FROM audit_checkpoint ORDER BY sequence DESC LIMIT 1")
                .map((rs, ctx) -> checkpoint(rs)).findOne();
    }

    /** The newest retention statement: the records kept start after it. */
    static Optional<Checkpoint> latestRetention(Handle handle) {
        return handle.createQuery("SELECT * FROM audit_retention ORDER BY sequence DESC LIMIT 1")
                .map((rs, ctx) -> checkpoint(rs)).findOne();
    }

    static Checkpoint checkpoint(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getLong("sequence"), rs.getString("hash"), rs.getLong("created_at"),
                rs.getString("signature"));
    }

    @Override
    public AuditStatus status() {
        AuditStatus.Verification verified = lastVerification;
        return database.read(handle -> {
            long[] chain = handle.createQuery("SELECT COUNT(*), COALESCE(MAX(sequence), 0) FROM audit_record")
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)}).one();
            AuditStatus.Checkpoint checkpoint = latestCheckpoint(handle).map(latest -> new AuditStatus.Checkpoint(
                    latest.sequence(), Instant.ofEpochMilli(latest.createdAt()))).orElse(null);
            return new AuditStatus(chain[0], chain[1], checkpoint, verified);
        });
    }

    @Override
    public AuditVerification verify() {
        AuditVerification result = walkAndCheck();
        lastVerification = new AuditStatus.Verification(Instant.ofEpochMilli(clock.millis()), result);
        return result;
    }

    private AuditVerification walkAndCheck() {
        // What vouches for the chain is read before the chain, so that it never covers more than the walk sees.
        Optional<Checkpoint> kept = signer.latestKept();
        Map<Long, Checkpoint> checkpoints = new HashMap<>();
        database.read(handle -> handle.createQuery("SELECT * FROM audit_checkpoint")
                .map((rs, ctx) -> checkpoint(rs)).list())
                .forEach(checkpoint -> checkpoints.put(checkpoint.sequence(), checkpoint));
        // A copy that disagrees with the stored checkpoint vouches for nothing: the walk reports where.
        kept.ifPresent(checkpoint -> checkpoints.merge(checkpoint.sequence(), checkpoint,
                (stored, copy) -> stored.equals(copy) ? stored : copy.withSignature("")));
        Checkpoint retained = database.read(HashChainedAuditLog::latestRetention).orElse(null);
        ChainCheck check = new ChainCheck(checkpoints, retained);
        walk(check::next);
        return check.result();
    }

    @Override
    public void forEach(Consumer<AuditRecord> action) {
        walk(stored -> action.accept(stored.record()));
    }

    @Override
    public void export(String environmentId, OutputStream out) {
        Checkpoint kept = signer.latestKept().orElse(null);
        database.read(handle -> {
            ChainExport.write(handle, out, environmentId, signer, kept, clock.millis());
            return null;
        });
    }

    private void walk(Consumer<StoredRecord> action) {
        database.read(handle -> {
            handle.createQuery("SELECT * FROM audit_record ORDER BY sequence")
                    .setFetchSize(1000)
                    .map((rs, ctx) -> StoredRecord.of(rs))
                    .forEach(action);
            return null;
        });
    }

    /** The walk along the chain: where it stands, and where it first broke. */
    private final class ChainCheck {
        private final Map<Long, Checkpoint> checkpoints;
        /** The retention statement the records kept start after, if the retention ever removed any. */
        private final Checkpoint retained;
        private long records;
        private Link last = new Link(0, GENESIS_HASH);
        private Long brokenAt;
        private AuditVerification.Problem problem;

        ChainCheck(Map<Long, Checkpoint> checkpoints, Checkpoint retained) {
            this.checkpoints = checkpoints;
            this.retained = retained != null && signer.isSignedRetention(retained) ? retained : null;
        }

        void next(StoredRecord stored) {
            AuditRecord record = stored.record();
            records++;
            if (records == 1 && record.sequence() > 1) {
                last = retainedStart(record);
            }
            if (brokenAt == null) {
                if (record.sequence() != last.sequence() + 1) {
                    broken(record, AuditVerification.Problem.SEQUENCE_GAP);
                } else if (!record.previousHash().equals(last.hash())) {
                    broken(record, AuditVerification.Problem.PREVIOUS_HASH_MISMATCH);
                } else if (!stored.hashes()) {
                    broken(record, AuditVerification.Problem.HASH_MISMATCH);
                } else if (checkpoints.containsKey(record.sequence()) && !vouchesFor(
                        checkpoints.get(record.sequence()), record)) {
                    broken(record, AuditVerification.Problem.CHECKPOINT_MISMATCH);
                }
            }
            last = new Link(record.sequence(), record.hash());
        }

        /**
         * Where a retained part starts: only the retention removes records from the start, and it signs
         * first that the records kept follow the hash of its last removed one. A sweep cut short leaves
         * records of that span, which must still reach the statement's hash at its sequence. Without a
         * statement reaching this far, records were removed from the start by someone else.
         */
        private Link retainedStart(AuditRecord first) {
            if (retained == null || retained.sequence() < first.sequence() - 1) {
                return last;
            }
            if (retained.sequence() > first.sequence() - 1) {
                checkpoints.putIfAbsent(retained.sequence(), retained);
                return new Link(first.sequence() - 1, first.previousHash());
            }
            return new Link(retained.sequence(), retained.hash());
        }

        private boolean vouchesFor(Checkpoint checkpoint, AuditRecord record) {
            return checkpoint.hash().equals(record.hash())
                    && (signer.isSigned(checkpoint) || checkpoint.equals(retained));
        }

        private void broken(AuditRecord record, AuditVerification.Problem how) {
            brokenAt = record.sequence();
            problem = how;
        }

        AuditVerification result() {
            if (brokenAt == null) {
                // A signed checkpoint beyond the end vouches for records that are gone.
                checkpoints.values().stream()
                        .filter(checkpoint -> checkpoint.sequence() > last.sequence() && signer.isSigned(checkpoint))
                        .findAny()
                        .ifPresent(beyond -> {
                            brokenAt = last.sequence() + 1;
                            problem = AuditVerification.Problem.TRUNCATED;
                        });
            }
            return new AuditVerification(records, brokenAt == null, brokenAt, problem, last.sequence(), last.hash());
        }
    }

    private static long afterSequence(String cursor) {
        if (cursor == null) {
            return 0;
        }
        try {
            long after = Long.parseLong(cursor);
            if (after < 0) {
                throw new NumberFormatException();
            }
            return after;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException("cursor", "is not a cursor of this list");
        }
    }

    /** A new record's salt: 16 random bytes, in hex. */
    private static String newSalt() {
        byte[] salt = new byte[AuditChain.SALT_LENGTH / 2];
        SALTS.nextBytes(salt);
        return HexFormat.of().formatHex(salt);
    }
}
