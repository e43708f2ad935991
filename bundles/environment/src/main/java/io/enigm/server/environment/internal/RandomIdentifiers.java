package io.enigm.server.environment.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque random identifiers and secrets, from the platform's strong random source. */
final class RandomIdentifiers {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private RandomIdentifiers() {
    }

    static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** URL-safe Base64 of {@code length} random bytes, e.g. for ids used in paths. */
    static String urlSafe(int length) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(length));
    }

    /**
     * A server ID: 160 random bits in upper-case Base32, grouped by four for reading aloud,
     * e.g. {@code 7QK2-…}. Base32 has no look-alike letters of mixed case.
     */
    static String serverId() {
        byte[] bytes = bytes(20);
        StringBuilder text = new StringBuilder(39);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                if (text.length() % 5 == 4) {
                    text.append('-');
                }
                text.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        return text.toString();
    }
}
