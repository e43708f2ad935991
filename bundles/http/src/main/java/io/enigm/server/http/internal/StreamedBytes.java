package io.enigm.server.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * An answer of opaque bytes, streamed as they are from a stream opened while the answer is written
 * (never whole in memory), with the headers that describe them.
 *
 * @param length  how many bytes the answer carries
 * @param headers e.g. {@code ETag}, {@code Content-Range}
 * @param source  opens the bytes, or {@code null} for an answer without a body ({@code 304})
 */
record StreamedBytes(long length, Map<String, String> headers, Source source) {

    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }
}
