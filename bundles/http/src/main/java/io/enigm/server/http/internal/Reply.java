package io.enigm.server.http.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A successful answer, or one given later: once {@code durable} completes, with the reply it
 * completes with, or with the problem its failure translates to.
 *
 * @param status   HTTP status
 * @param body     serialized as JSON, or {@code null} for no body
 * @param location the {@code Location} of a created thing, relative to {@code /api/v1}, or {@code null}
 * @param durable  the write this answer waits for, or {@code null} if it is ready
 */
record Reply(int status, Object body, String location, CompletableFuture<Reply> durable) {

    Reply(int status, Object body, String location) {
        this(status, body, location, null);
    }

    static Reply ok(Object body) {
        return new Reply(200, body, null);
    }

    static Reply created(String location, Object body) {
        return new Reply(201, body, location);
    }

    static Reply noContent() {
        return new Reply(204, null, null);
    }

    /** The reply {@code durable} completes with, once the write behind it is durable. */
    static Reply whenDurable(CompletableFuture<Reply> durable) {
        return new Reply(0, null, null, durable);
    }
}
