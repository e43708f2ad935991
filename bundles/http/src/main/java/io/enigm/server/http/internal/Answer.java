package io.enigm.server.http.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * A reply ready to send, or the write it waits for: {@code durable} completes with the reply once
 * the request's transaction (its change, or only its audit record) is durable, and {@code failed}
 * turns a failure of that transaction into the problem to answer, after auditing it.
 */
record Answer(Reply reply, CompletableFuture<Reply> durable, Function<Throwable, ApiProblem> failed) {

    static Answer now(Reply reply) {
        return new Answer(reply, null, null);
    }

    static Answer whenDurable(CompletableFuture<Reply> durable, Function<Throwable, ApiProblem> failed) {
        return new Answer(null, durable, failed);
    }

    boolean isReady() {
        return reply != null;
    }
}
