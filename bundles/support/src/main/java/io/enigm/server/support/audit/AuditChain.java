package io.enigm.server.support.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit chain's canonical form, written once for the server that builds the chain and the
 * standalone verifier that checks an export of it. Every hash is SHA-256 over fields each written
 * as {@code 0x01 <decimal byte length> ':' <UTF-8 bytes>}, or the single byte {@code 0x00} for an
 * absent field, so that no two lists of fields give the same bytes.
 *
 * <p>A salted record (every record appended since the salt was added) is hashed in two steps: its
 * entry digest over the salt and the fields it states, then its link over the previous hash, its
 * sequence number and that digest. The link alone lets a verifier follow the chain across a record
 * it may not see (another environment's), and the random salt keeps the digest from confirming a
 * guess of what that record says. An unsalted record, from before, is one hash over the previous
 * hash, its sequence number and its fields. Either way the changes an update names follow the
 * fields, three fields each (name, old value, new value), and are absent when there are none, so
 * records from before changes were recorded keep their hashes.
 */
public final class AuditChain {

    /** The previous hash of the first record. */
    public static final String GENESIS_HASH = "0".repeat(64);
    /** Length of a salt: 16 random bytes in lower-case hex. */
    public static final int SALT_LENGTH = 32;
    private static final String CHECKPOINT_CONTEXT = "enigm-audit-checkpoint-v1";
    private static final String RETENTION_CONTEXT = "enigm-audit-retained-v1";
    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: looking SHA-256 up among the providers costs more than hashing a record. */
    private static final ThreadLocal<Canonical> CANONICAL = ThreadLocal.withInitial(Canonical::new);

    /**
     * What one record states, as it is hashed.
     *
     * @param recordedAt epoch milliseconds
     * @param outcome    {@code ALLOWED}, {@code DENIED} or {@code FAILED}
     * @param changes    the fields an update changed, in order; empty for any other record
     * @param salt       32 hex characters, or {@code null} for a record from before salts
     */
    public record Entry(long recordedAt, String actor, String role, String environmentId, String action,
            String target, String outcome, String category, List<Change> changes, String salt) {

        public Entry {
            changes = changes == null ? List.of() : List.copyOf(changes);
        }
    }

    /** One field an update changed: its name, its value before and after ({@code null} when not recorded). */
    public record Change(String field, String before, String after) {
    }

    private AuditChain() {
    }

    /** The hash of the record {@code sequence} that states {@code entry} and follows {@code previousHash}. */
    public static String hash(String previousHash, long sequence, Entry entry) {
        if (entry.salt() == null) {
            return digest(withChanges(entry, previousHash, Long.toString(sequence), Long.toString(entry.recordedAt()),
                    entry.actor(), entry.role(), entry.environmentId(), entry.action(), entry.target(),
                    entry.outcome(), entry.category()));
        }
        return link(previousHash, sequence, entryDigest(entry));
    }

    /** The digest of a salted record's entry: what stands in for the entry when the record is withheld. */
    public static String entryDigest(Entry entry) {
        if (entry.salt() == null) {
            throw new IllegalArgumentException("an unsalted record has no entry digest");
        }
        return digest(withChanges(entry, entry.salt(), Long.toString(entry.recordedAt()), entry.actor(),
                entry.role(), entry.environmentId(), entry.action(), entry.target(), entry.outcome(),
                entry.category()));
    }

    private static String[] withChanges(Entry entry, String... fields) {
        if (entry.changes().isEmpty()) {
            return fields;
        }
        List<String> all = new ArrayList<>(Arrays.asList(fields));
        for (Change change : entry.changes()) {
            all.add(change.field());
            all.add(change.before());
            all.add(change.after());
        }
        return all.toArray(String[]::new);
    }

    /** The hash of a salted record from its predecessor's hash, its sequence number and its entry digest. */
    public static String link(String previousHash, long sequence, String entryDigest) {
        return digest(previousHash, Long.toString(sequence), entryDigest);
    }

    /** The bytes a checkpoint's Ed25519 signature covers: that record {@code sequence} has {@code hash}. */
    public static byte[] checkpointStatement(long sequence, String hash, long createdAt) {
        return (CHECKPOINT_CONTEXT + "\n" + sequence + "\n" + hash + "\n" + createdAt)
                .getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The bytes a retention statement's Ed25519 signature covers: records up to {@code sequence} were
     * removed by the retention, and the first record kept follows {@code hash}. Its context differs
     * from a checkpoint's, so that no checkpoint can stand in for one.
     */
    public static byte[] retentionStatement(long sequence, String hash, long createdAt) {
        return (RETENTION_CONTEXT + "\n" + sequence + "\n" + hash + "\n" + createdAt).getBytes(StandardCharsets.UTF_8);
    }

    private static String digest(String... fields) {
        Canonical canonical = CANONICAL.get();
        canonical.length = 0;
        for (String field : fields) {
            canonical.field(field);
        }
        MessageDigest digest = canonical.sha256;
        digest.reset();
        // one update over the whole canonical form: a record's hash is most of what verifying it costs
        digest.update(canonical.bytes, 0, canonical.length);
        return HEX.formatHex(digest.digest());
    }

    /** The canonical form being written, one per thread with its digest, grown as a record needs. */
    private static final class Canonical {
        private final MessageDigest sha256 = sha256();
        private byte[] bytes = new byte[1024];
        private int length;

        void field(String field) {
            if (field == null) {
                put((byte) 0);
                return;
            }
            int start = length;
            put((byte) 1);
            decimal(field.length());
            put((byte) ':');
            room(field.length());
            // most fields are ASCII, whose UTF-8 is their chars: copied without a byte[] per field
            for (int i = 0; i < field.length(); i++) {
                char c = field.charAt(i);
                if (c >= 0x80) {
                    length = start;
                    encoded(field.getBytes(StandardCharsets.UTF_8));
                    return;
                }
                bytes[length++] = (byte) c;
            }
        }

        private void encoded(byte[] value) {
            put((byte) 1);
            decimal(value.length);
            put((byte) ':');
            room(value.length);
            System.arraycopy(value, 0, bytes, length, value.length);
            length += value.length;
        }

        /** A length in decimal ASCII digits. */
        private void decimal(int value) {
            int digits = 1;
            for (int rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            room(digits);
            for (int at = length + digits - 1; at >= length; at--) {
                bytes[at] = (byte) ('0' + value % 10);
                value /= 10;
            }
            length += digits;
        }

        private void put(byte b) {
            room(1);
            bytes[length++] = b;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
