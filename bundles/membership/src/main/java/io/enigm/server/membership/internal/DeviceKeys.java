package io.enigm.server.membership.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import io.enigm.server.common.InvalidRequestException;

/**
 * Ed25519 device keys: parsing, signature checks and the short codes people compare. Keys are
 * parsed with the JDK; signatures are checked with Bouncy Castle, which is much faster here.
 */
final class DeviceKeys {

    /** The DER header of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32-byte key follows it. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    /** Standard Base64 of an Ed25519 SubjectPublicKeyInfo is 60 characters; anything much longer is not one. */
    private static final int MAX_ENCODED_LENGTH = 128;

    private DeviceKeys() {
    }

    /**
     * The DER of an Ed25519 public key given as standard Base64 of its X.509 SubjectPublicKeyInfo.
     * Only the canonical encoding is accepted, so one key always has one handle.
     */
    static byte[] parse(String field, String base64) {
        if (base64 == null || base64.isEmpty()) {
            throw new InvalidRequestException(field, "is required");
        }
        if (base64.length() > MAX_ENCODED_LENGTH) {
            throw new InvalidRequestException(field, "is not an Ed25519 public key");
        }
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            if (!Arrays.equals(der, key.getEncoded())) {
                throw new InvalidRequestException(field, "is not the canonical encoding of an Ed25519 public key");
            }
            // The JDK decodes any encoding; a point off the curve or of small order could never sign here.
            if (point(der) == null) {
                throw new InvalidRequestException(field, "is not a valid Ed25519 public key");
            }
            return der;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new InvalidRequestException(field, "is not the standard Base64 of an Ed25519 public key");
        }
    }

    /** The canonical text of a parsed key: what its per-environment handle is computed from. */
    static String text(byte[] der) {
        return Base64.getEncoder().encodeToString(der);
    }

    /** The curve point of a key accepted by {@link #parse}; {@code null} if {@code der} is not an Ed25519 SubjectPublicKeyInfo. */
    static Ed25519.PublicPoint point(byte[] der) {
        if (der == null || der.length != SPKI_PREFIX.length + Ed25519.PUBLIC_KEY_SIZE
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            return null;
        }
        return Ed25519.validatePublicKeyPartialExport(der, SPKI_PREFIX.length);
    }

    /**
     * Whether {@code signature} is a valid Ed25519 signature by {@code key} over {@code message}.
     * Bouncy Castle's RFC 8032 code: many times the JDK's rate here (docs/benchmarks.md).
     */
    static boolean verifies(Ed25519.PublicPoint key, byte[] message, byte[] signature) {
        return key != null && signature != null && signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(signature, 0, key, message, 0, message.length);
    }

    /** Whether {@code signature} is a valid Ed25519 signature by {@code der} over the UTF-8 of {@code message}. */
    static boolean verifies(byte[] der, String message, byte[] signature) {
        return verifies(point(der), message.getBytes(StandardCharsets.UTF_8), signature);
    }

    /** Standard Base64 decoded, or {@code null} if it is not Base64 or absurdly long for a signature. */
    static byte[] signature(String base64) {
        if (base64 == null || base64.length() > MAX_ENCODED_LENGTH) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The code requester and administrator compare: ten digits of HMAC-SHA256 keyed by the device
     * key's handle over the request id. Both inputs are the server's: the handle is an HMAC under the
     * environment's secret key and the id is random, so a requester cannot choose a key for a code
     * known in advance; each try costs a request (10^10 of them on average).
     */
    static String verificationCode(String keyHandle, String requestId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(keyHandle.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] digest = mac.doFinal(("enigm-join-code-v1\n" + requestId).getBytes(StandardCharsets.UTF_8));
            return codeText(ByteBuffer.wrap(digest).getLong());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }

    /** Ten digits in two groups of five, from any 64 bits. */
    static String codeText(long bits) {
        // 10^10 + n has eleven digits whatever n is; dropping the leading one zero-pads n to ten
        String digits = Long.toString(10_000_000_000L + Long.remainderUnsigned(bits, 10_000_000_000L));
        return digits.substring(1, 6) + "-" + digits.substring(6);
    }

    /**
     * A short, per-environment fingerprint for people: derived from the key's handle, not from the
     * key, so it does not link one device across environments.
     */
    static String fingerprint(String keyHandle) {
        try {
            return fingerprintText(MessageDigest.getInstance("SHA-256").digest(keyHandle.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** Four groups of four hex digits, from the first eight bytes. */
    static String fingerprintText(byte[] bytes) {
        String hex = HexFormat.of().formatHex(bytes, 0, 8);
        return hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12) + "-"
                + hex.substring(12, 16);
    }
}
