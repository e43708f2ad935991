package io.enigm.server.http.internal;

import java.util.function.Consumer;

/**
 * An answer written as JSON Lines, one value per line, as its source hands them over: for exports
 * too large to build in memory. The source runs while the answer is written.
 */
@FunctionalInterface
interface JsonLines {

    String MEDIA_TYPE = "application/jsonl";

    /** Hands each value, in order, to {@code line}. */
    void forEach(Consumer<Object> line);
}
