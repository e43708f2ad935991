package io.enigm.server.bench.load;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 device keys for the load generators, made with Bouncy Castle: the JDK's key generator
 * costs several hundred microseconds a key here, enough to make the client the bottleneck.
 */
final class LoadKeys {

    /** The DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32-byte key follows it. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    /** One generator per load thread: a shared one serializes them on its lock. */
    private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private LoadKeys() {
    }

    /** A new private key in raw RFC 8032 form. */
    static byte[] newPrivateKey() {
        byte[] privateKey = new byte[Ed25519.SECRET_KEY_SIZE];
        Ed25519.generatePrivateKey(RANDOM.get(), privateKey);
        return privateKey;
    }

    /** The raw 32-byte public key of {@code privateKey}. */
    static byte[] publicKey(byte[] privateKey) {
        byte[] publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(privateKey, 0, publicKey, 0);
        return publicKey;
    }

    /** The public key of {@code privateKey} as the API takes it: standard Base64 of its SubjectPublicKeyInfo. */
    static String publicKeyText(byte[] privateKey) {
        byte[] der = new byte[SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE];
        System.arraycopy(SPKI_PREFIX, 0, der, 0, SPKI_PREFIX.length);
        System.arraycopy(publicKey(privateKey), 0, der, SPKI_PREFIX.length, Ed25519.PUBLIC_KEY_SIZE);
        return Base64.getEncoder().encodeToString(der);
    }
}
