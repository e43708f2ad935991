package io.enigm.server.content.internal;

/** Ciphertext read to its end: kept in memory when small, or stored durably under the object's id. */
sealed interface Received {

    long size();

    /** SHA-256 of the bytes, Base64url without padding. */
    String etag();

    /** Small enough to ride in the row. */
    record Inline(byte[] bytes, String etag) implements Received {

        @Override
        public long size() {
            return bytes.length;
        }
    }

    /** Stored durably under the object's id, for its row to claim. */
    record Stored(long size, String etag) implements Received {
    }
}
