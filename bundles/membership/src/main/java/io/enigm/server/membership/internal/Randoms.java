package io.enigm.server.membership.internal;

import java.security.SecureRandom;
import java.util.Base64;

/** Tokens, codes and bytes from the platform's strong random source (ids: {@code TimeOrderedIds}). */
final class Randoms {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private Randoms() {
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
