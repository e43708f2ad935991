package io.enigm.server.support.ids;

import java.security.SecureRandom;

/**
 * Ids used in paths: the creation time in milliseconds (48 bits), then 80 random bits, in 22
 * URL-safe characters that sort by time. New rows then land at the end of every index on an id
 * instead of on a random page of it, which is most of the pages a write transaction dirties and
 * the database must write out. The time is no secret: each record shows its creation time.
 */
public final class TimeOrderedIds {

    /** Length of an id. */
    public static final int LENGTH = 22;

    private static final SecureRandom RANDOM = new SecureRandom();
    /** URL-safe characters in ASCII order, so that encoded ids sort as their bytes do. */
    private static final char[] SORTABLE = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
            .toCharArray();

    private TimeOrderedIds() {
    }

    /** A new id: its first 8 characters are the time, characters 8 to 20 wholly random. */
    public static String next() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        long millis = System.currentTimeMillis();
        for (int i = 5; i >= 0; i--) {
            bytes[i] = (byte) millis;
            millis >>>= 8;
        }
        StringBuilder id = new StringBuilder(LENGTH);
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
}
