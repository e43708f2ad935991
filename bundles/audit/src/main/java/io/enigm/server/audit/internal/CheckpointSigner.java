package io.enigm.server.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

import io.enigm.server.home.DataHome;
import io.enigm.server.support.audit.AuditChain;

/**
 * Signs and checks audit checkpoints with the installation's Ed25519 audit key, created on first
 * use in the secrets directory: whoever can change the database but not read the secrets cannot
 * write a checkpoint. The latest checkpoint is copied to the secrets directory as well, so cutting
 * the log's end together with its checkpoints still shows.
 */
final class CheckpointSigner {

    static final String PRIVATE_KEY = "audit-signing-key";
    static final String PUBLIC_KEY = "audit-signing-key-public";
    static final String LATEST = "audit-checkpoint";

    /** A signed statement that the chain's record {@code sequence} has {@code hash}. */
    record Checkpoint(long sequence, String hash, long createdAt, String signature) {

        Checkpoint withSignature(String other) {
            return new Checkpoint(sequence, hash, createdAt, other);
        }
    }

    private final DataHome home;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    CheckpointSigner(DataHome home) {
        this.home = home;
        try {
            KeyFactory keys = KeyFactory.getInstance("Ed25519");
            Optional<byte[]> stored = home.readSecret(PRIVATE_KEY);
            if (stored.isEmpty()) {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                // The public half first: a private key without it would sign what nothing could check.
                home.writeSecret(PUBLIC_KEY, pair.getPublic().getEncoded());
                home.writeSecret(PRIVATE_KEY, pair.getPrivate().getEncoded());
            }
            this.privateKey = keys.generatePrivate(new PKCS8EncodedKeySpec(home.readSecret(PRIVATE_KEY).orElseThrow()));
            this.publicKey = keys.generatePublic(new X509EncodedKeySpec(home.readSecret(PUBLIC_KEY).orElseThrow(
                    () -> new IllegalStateException("the audit signing key's public half is missing from the secrets"))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the audit signing key cannot be read", e);
        }
    }

    Checkpoint sign(long sequence, String hash, long createdAt) {
        return signed(AuditChain.checkpointStatement(sequence, hash, createdAt), sequence, hash, createdAt);
    }

    boolean isSigned(Checkpoint checkpoint) {
        return verifies(AuditChain.checkpointStatement(checkpoint.sequence(), checkpoint.hash(),
                checkpoint.createdAt()), checkpoint.signature());
    }

    /** A retention statement: records up to {@code sequence} were removed, the rest follows {@code hash}. */
    Checkpoint signRetention(long sequence, String hash, long createdAt) {
        return signed(AuditChain.retentionStatement(sequence, hash, createdAt), sequence, hash, createdAt);
    }

    boolean isSignedRetention(Checkpoint statement) {
        return verifies(AuditChain.retentionStatement(statement.sequence(), statement.hash(), statement.createdAt()),
                statement.signature());
    }

    private Checkpoint signed(byte[] statement, long sequence, String hash, long createdAt) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(statement);
            return new Checkpoint(sequence, hash, createdAt, Base64.getEncoder().encodeToString(signer.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
    }

    private boolean verifies(byte[] statement, String signature) {
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey);
            verifier.update(statement);
            return verifier.verify(Base64.getDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Copies a committed checkpoint to the secrets directory. */
    void keepLatest(Checkpoint checkpoint) {
        home.writeSecret(LATEST, String.join("\n", Long.toString(checkpoint.sequence()), checkpoint.hash(),
                Long.toString(checkpoint.createdAt()), checkpoint.signature()).getBytes(StandardCharsets.UTF_8));
    }

    /** The copy of the latest checkpoint, if one was kept and can be read. */
    Optional<Checkpoint> latestKept() {
        return home.readSecret(LATEST).flatMap(bytes -> {
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
            try {
                return lines.length == 4 ? Optional.of(new Checkpoint(Long.parseLong(lines[0]), lines[1],
                        Long.parseLong(lines[2]), lines[3])) : Optional.empty();
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    /** The public half in its X.509 encoding, what an export carries so that its checkpoints verify elsewhere. */
    byte[] publicKey() {
        return publicKey.getEncoded();
    }
}
