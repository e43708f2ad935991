package io.enigm.server.work;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The first answers of creating requests, remembered under the client's idempotency key, so that a
 * retry gets the first answer instead of a second creation. Both methods run inside the unit of
 * work of the request (its write transaction), so an answer is remembered exactly when what it
 * answers is created, and a retry queued behind the first request sees the first request's answer.
 */
@ProviderType
public interface IdempotentAnswers {

    /** How long an answer is remembered; older ones are forgotten and swept. */
    Duration KEPT = Duration.ofHours(24);

    /**
     * The answer remembered under {@code key} in {@code scope}, if it is younger than {@link #KEPT}.
     *
     * @param scope who asked where, e.g. the caller's id and the request's method and path: a key
     *              never answers another scope's request
     */
    Optional<RememberedAnswer> recall(String scope, String key);

    /** Remembers the first answer under {@code key} in {@code scope}, as part of the unit of work under way. */
    void remember(String scope, String key, RememberedAnswer answer);
}
