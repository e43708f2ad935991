package io.enigm.server.it;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * What a member's app does to content before the server sees it, with the JDK alone: a random
 * 256-bit content key encrypts the plaintext with AES-GCM; for each recipient device, an X25519
 * agreement between a fresh ephemeral key and the device's key gives a key-encryption key
 * (SHA-256 over the shared secret and both public keys) that wraps the content key with AES-GCM.
 * The server stores and returns the envelope; only the recipients' private keys open it.
 *
 * <p>Envelope: ephemeral public key, recipient count, per recipient (SHA-256 of its public key,
 * wrap nonce, wrapped key), content nonce, ciphertext.
 */
final class ReferenceClient {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CONTENT_CONTEXT = "enigm-reference-content-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WRAP_CONTEXT = "enigm-reference-wrap-v1".getBytes(StandardCharsets.US_ASCII);

    private ReferenceClient() {
    }

    /** What was sent: the envelope the server gets, and the content key, which must never reach it. */
    record Sealed(byte[] envelope, byte[] contentKey) {
    }

    static KeyPair deviceKeys() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static Sealed seal(byte[] plaintext, List<PublicKey> recipients) {
        try {
            byte[] contentKey = random(32);
            KeyPair ephemeral = deviceKeys();
            byte[] ephemeralPublic = ephemeral.getPublic().getEncoded();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(ephemeralPublic.length);
            out.write(ephemeralPublic);
            out.writeShort(recipients.size());
            for (PublicKey recipient : recipients) {
                byte[] recipientId = sha256(recipient.getEncoded());
                byte[] nonce = random(12);
                byte[] kek = kek(agree(ephemeral.getPrivate(), recipient), ephemeralPublic, recipient.getEncoded());
                byte[] wrapped = gcm(Cipher.ENCRYPT_MODE, kek, nonce, recipientId, contentKey);
                out.write(recipientId);
                out.write(nonce);
                out.writeShort(wrapped.length);
                out.write(wrapped);
            }
            byte[] nonce = random(12);
            out.write(nonce);
            out.write(gcm(Cipher.ENCRYPT_MODE, contentKey, nonce, CONTENT_CONTEXT, plaintext));
            return new Sealed(bytes.toByteArray(), contentKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens an envelope with one recipient device's keys; fails on any change to the envelope. */
    static byte[] open(byte[] envelope, KeyPair device) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(envelope));
            byte[] ephemeralPublic = in.readNBytes(in.readUnsignedShort());
            PublicKey ephemeral = KeyFactory.getInstance("X25519").generatePublic(new X509EncodedKeySpec(ephemeralPublic));
            byte[] ownId = sha256(device.getPublic().getEncoded());
            byte[] contentKey = null;
            int count = in.readUnsignedShort();
            for (int i = 0; i < count; i++) {
                byte[] recipientId = in.readNBytes(32);
                byte[] nonce = in.readNBytes(12);
                byte[] wrapped = in.readNBytes(in.readUnsignedShort());
                if (Arrays.equals(recipientId, ownId)) {
                    byte[] kek = kek(agree(device.getPrivate(), ephemeral), ephemeralPublic,
                            device.getPublic().getEncoded());
                    contentKey = gcm(Cipher.DECRYPT_MODE, kek, nonce, recipientId, wrapped);
                }
            }
            if (contentKey == null) {
                throw new IllegalArgumentException("the envelope is not for this device");
            }
            byte[] nonce = in.readNBytes(12);
            return gcm(Cipher.DECRYPT_MODE, contentKey, nonce, CONTENT_CONTEXT, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] agree(PrivateKey own, PublicKey other) throws GeneralSecurityException {
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(own);
        agreement.doPhase(other, true);
        return agreement.generateSecret();
    }

    private static byte[] kek(byte[] shared, byte[] ephemeralPublic, byte[] recipientPublic)
            throws GeneralSecurityException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(WRAP_CONTEXT);
        sha.update(shared);
        sha.update(ephemeralPublic);
        sha.update(recipientPublic);
        return sha.digest();
    }

    private static byte[] gcm(int mode, byte[] key, byte[] nonce, byte[] associated, byte[] input)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associated);
        return cipher.doFinal(input);
    }

    private static byte[] sha256(byte[] bytes) throws GeneralSecurityException {
        return MessageDigest.getInstance("SHA-256").digest(bytes);
    }

    private static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
