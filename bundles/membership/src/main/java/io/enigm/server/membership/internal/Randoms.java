package io.enigm.server.membership.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Identifiers, nonces and codes from the platform's strong random source (ids also carry their creation time). */
final class Randoms {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Randoms() {
    }

    /** URL-safe characters in ASCII order, so that encoded ids sort as their bytes do. */
    private static final char[] SORTABLE = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
            .toCharArray();

    /**
     * Ids used in paths: the creation time in milliseconds (48 bits), then 80 random bits, in 22
     * URL-safe characters that sort by time. New rows then land at the end of every index on an id
     * instead of on a random page of it, which is most of the pages a write transaction dirties and
     * the database must write out. The time is no secret: each record shows its creation time.
     */
    static String id() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        long millis = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) millis;
            millis >>>= 8;
        }
        StringBuilder id = new StringBuilder(22);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = buffer << 8 | b & 0xFF;
            bits += 8;
            while (bits >= 6) {
                bits -= 6;
                id.append(SORTABLE[buffer >>> bits & 0x3F]);
            }
        }
        id.append(SORTABLE[buffer << 6 - bits & 0x3F]);
        return id.toString();
    }

    /** 256 random bits, URL-safe (43 characters): session tokens. */
    static String token() {
        return urlSafe(32);
    }

    /** 100 random bits in Base32, grouped by five for typing: invite codes. */
    static String inviteCode() {
        StringBuilder code = new StringBuilder(23);
        for (int i = 0; i < 20; i++) {
            if (i > 0 && i % 5 == 0) {
                code.append('-');
            }
            code.append(BASE32[RANDOM.nextInt(32)]);
        }
        return code.toString();
    }

    /** {@code length} random bytes. */
    static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static String urlSafe(int length) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(length));
    }
}
