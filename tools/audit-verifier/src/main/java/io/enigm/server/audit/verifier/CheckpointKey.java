package io.enigm.server.audit.verifier;

import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The Ed25519 key an export's checkpoints are signed with, verified with Bouncy Castle's lightweight
 * Ed25519: in a fresh JVM the JDK's took 0.64–0.73 s for the hundred checkpoints of a million-record
 * export, Bouncy Castle's 0.23–0.25 s, on one core (docs/benchmarks.md, issue 15).
 */
final class CheckpointKey {

    /** How X.509 SubjectPublicKeyInfo starts for every Ed25519 key (RFC 8410); the 32-byte key follows. */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final byte[] encoded;
    private final Ed25519PublicKeyParameters key;

    /** @throws IllegalArgumentException when {@code x509} is not an Ed25519 public key in X.509 */
    CheckpointKey(byte[] x509) {
        if (x509.length != X509_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
                || !Arrays.equals(x509, 0, X509_PREFIX.length, X509_PREFIX, 0, X509_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key in X.509");
        }
        this.encoded = x509.clone();
        this.key = new Ed25519PublicKeyParameters(x509, X509_PREFIX.length);
    }

    /** Whether this is the key {@code x509} encodes. */
    boolean is(byte[] x509) {
        return Arrays.equals(encoded, x509);
    }

    /** Whether {@code signature} (base64) is this key's over {@code statement}; a signature that is not base64 is not. */
    boolean signed(byte[] statement, String signature) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(statement, 0, statement.length);
        return verifier.verifySignature(decoded);
    }
}
