package io.enigm.server.support.secret;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A secret a person chose (the critical-operation PIN, the console password) kept only as its
 * PBKDF2-HMAC-SHA256 hash: a 16-byte random salt, an iteration count and a 256-bit hash. Stored
 * hashes keep their own count, so raising the count for new secrets leaves old ones verifiable.
 * Comparison is constant-time. The caller clears the secret's characters when done with them.
 */
public final class SecretHash {

    /** The JCA name of the derivation, as stored beside a hash. */
    public static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    /** A hash as it was stored. */
    public SecretHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt.clone();
        this.hash = hash.clone();
    }

    /** Hashes {@code secret} under a new random salt. */
    public static SecretHash of(char[] secret, SecureRandom random, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new SecretHash(iterations, salt, derive(secret, salt, iterations));
    }

    /** The hash {@code candidate} has under this salt and count: the slow part of a check, to run ahead. */
    public byte[] derive(char[] candidate) {
        return derive(candidate, salt, iterations);
    }

    /** Whether {@code derivation}, from {@link #derive}, is this hash. */
    public boolean matchesDerivation(byte[] derivation) {
        // Constant time: how much of the hash matched must not show in the time taken.
        return MessageDigest.isEqual(hash, derivation);
    }

    /** Whether {@code candidate} is the secret. */
    public boolean matches(char[] candidate) {
        return matchesDerivation(derive(candidate));
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    public byte[] hash() {
        return hash.clone();
    }

    private static byte[] derive(char[] secret, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(secret, salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
