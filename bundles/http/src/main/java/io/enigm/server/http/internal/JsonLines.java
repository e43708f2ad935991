package io.enigm.server.http.internal;

import java.io.OutputStream;

/**
 * An answer written as JSON Lines by the service that owns its format, as it reads its source: for
 * exports too large to build in memory. The source runs while the answer is written.
 */
@FunctionalInterface
interface JsonLines {

    String MEDIA_TYPE = "application/jsonl";

    /** Writes every line to {@code out}, without closing it. */
    void writeTo(OutputStream out);
}
