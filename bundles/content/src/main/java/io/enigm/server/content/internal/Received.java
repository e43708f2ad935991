package io.enigm.server.content.internal;

import java.nio.file.Path;

/** Ciphertext read to its end: kept in memory when small, or staged in a synced temporary file. */
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

    /** Written to {@code file} and synced; becomes an object's blob once published under its id. */
    record Staged(Path file, long size, String etag) implements Received {
    }
}
