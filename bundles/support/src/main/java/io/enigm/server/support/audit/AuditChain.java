package io.enigm.server.support.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
 * hash, its sequence number and its fields.
 */
public final class AuditChain {

    /** The previous hash of the first record. */
    public static final String GENESIS_HASH = "0".repeat(64);
    /** Length of a salt: 16 random bytes in lower-case hex. */
    public static final int SALT_LENGTH = 32;
    private static final String CHECKPOINT_CONTEXT = "enigm-audit-checkpoint-v1";
    private static final HexFormat HEX = HexFormat.of();
    /** One digest per thread: looking SHA-256 up among the providers costs more than hashing a record. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(AuditChain::sha256);

    /**
     * What one record states, as it is hashed.
     *
     * @param recordedAt epoch milliseconds
     * @param outcome    {@code ALLOWED}, {@code DENIED} or {@code FAILED}
     * @param salt       32 hex characters, or {@code null} for a record from before salts
     */
    public record Entry(long recordedAt, String actor, String role, String environmentId, String action,
            String target, String outcome, String category, String salt) {
    }

    private AuditChain() {
    }

    /** The hash of the record {@code sequence} that states {@code entry} and follows {@code previousHash}. */
    public static String hash(String previousHash, long sequence, Entry entry) {
        if (entry.salt() == null) {
            return digest(previousHash, Long.toString(sequence), Long.toString(entry.recordedAt()), entry.actor(),
                    entry.role(), entry.environmentId(), entry.action(), entry.target(), entry.outcome(),
                    entry.category());
        }
        return link(previousHash, sequence, entryDigest(entry));
    }

    /** The digest of a salted record's entry: what stands in for the entry when the record is withheld. */
    public static String entryDigest(Entry entry) {
        if (entry.salt() == null) {
            throw new IllegalArgumentException("an unsalted record has no entry digest");
        }
        return digest(entry.salt(), Long.toString(entry.recordedAt()), entry.actor(), entry.role(),
                entry.environmentId(), entry.action(), entry.target(), entry.outcome(), entry.category());
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

    private static String digest(String... fields) {
        MessageDigest digest = SHA256.get();
        digest.reset();
        for (String field : fields) {
            if (field == null) {
                digest.update((byte) 0);
            } else {
                byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
                digest.update((byte) 1);
                digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
                digest.update((byte) ':');
                digest.update(bytes);
            }
        }
        return HEX.formatHex(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
