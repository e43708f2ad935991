package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.TooLargeException;

/**
 * An upload's ciphertext read to its end, as every {@link Blobs} receives it: hashed, bounded, kept
 * in memory when small.
 */
final class UploadReader {

    private UploadReader() {
    }

    /** Receives bytes beyond the inline limit, in the pieces it was given them. */
    @FunctionalInterface
    interface Sink {
        void write(byte[] bytes, int length) throws IOException;
    }

    /**
     * Reads {@code in} to its end: its first {@code inlineLimit} bytes, and if there are more, those
     * and then the rest into {@code sink} (opened only then), the rest in pieces of {@code piece}
     * bytes, the last one shorter.
     *
     * @throws TooLargeException beyond {@code max} bytes
     */
    static Received read(InputStream in, int inlineLimit, long max, int piece, SinkOpener sink) throws IOException {
        MessageDigest sha = BlobStore.sha256();
        byte[] head = readClient(() -> in.readNBytes((int) Math.min(inlineLimit + 1L, max + 1)));
        if (head.length > max) {
            throw new TooLargeException("an object", max);
        }
        sha.update(head);
        if (head.length <= inlineLimit) {
            return new Received.Inline(head, BlobStore.etag(sha));
        }
        Sink out = sink.open();
        out.write(head, head.length);
        long size = head.length;
        byte[] buffer = new byte[piece];
        for (int n = readClient(() -> in.readNBytes(buffer, 0, piece)); n > 0;
                n = readClient(() -> in.readNBytes(buffer, 0, piece))) {
            size += n;
            if (size > max) {
                throw new TooLargeException("an object", max);
            }
            sha.update(buffer, 0, n);
            out.write(buffer, n);
        }
        return new Received.Stored(size, BlobStore.etag(sha));
    }

    /** Opens where bytes beyond the inline limit go. */
    @FunctionalInterface
    interface SinkOpener {
        Sink open() throws IOException;
    }

    /** A read of the uploader's stream; a client that stops sending is the request's fault, not the server's. */
    private static <T> T readClient(ClientRead<T> read) {
        try {
            return read.get();
        } catch (IOException | RuntimeException e) {
            // Jetty refuses a body arriving slower than the connector's minimum rate unchecked
            throw new InvalidRequestException("body", "could not be read to its end");
        }
    }

    @FunctionalInterface
    private interface ClientRead<T> {
        T get() throws IOException;
    }
}
