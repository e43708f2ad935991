package io.enigm.server.environment.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The installation's root key: 256 random bits in {@code <home>/secrets/installation-key}. It only
 * wraps the environments' keys (AES-256-GCM, the environment id as associated data, so a wrapped
 * key copied onto another environment's row does not unwrap).
 */
final class InstallationKey {

    static final String SECRET_NAME = "installation-key";
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;

    private InstallationKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    static InstallationKey generate() {
        return new InstallationKey(RandomIdentifiers.bytes(KEY_BYTES));
    }

    /** The key from its secret file's content (Base64 text, one line). */
    static InstallationKey parse(byte[] fileContent) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(new String(fileContent, StandardCharsets.US_ASCII).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the installation key file is not Base64");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalStateException("the installation key file does not hold a 256-bit key");
        }
        return new InstallationKey(raw);
    }

    /** What the secret file holds. */
    byte[] fileContent() {
        return (Base64.getEncoder().encodeToString(key.getEncoded()) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** An environment key sealed for storage: a fresh nonce and the ciphertext with its tag. */
    record Wrapped(byte[] nonce, byte[] ciphertext) {
    }

    Wrapped wrap(String environmentId, byte[] environmentKey) {
        byte[] nonce = RandomIdentifiers.bytes(NONCE_BYTES);
        try {
            return new Wrapped(nonce, cipher(Cipher.ENCRYPT_MODE, environmentId, nonce).doFinal(environmentKey));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /**
     * @throws IllegalStateException if the wrapped key was not sealed by this key for this
     *         environment (a wrong installation key file, or a tampered row)
     */
    byte[] unwrap(String environmentId, Wrapped wrapped) {
        try {
            return cipher(Cipher.DECRYPT_MODE, environmentId, wrapped.nonce()).doFinal(wrapped.ciphertext());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("an environment key does not unwrap under the installation key");
        }
    }

    private Cipher cipher(int mode, String environmentId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(environmentId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
