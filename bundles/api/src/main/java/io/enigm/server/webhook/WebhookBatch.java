package io.enigm.server.webhook;

import java.time.Instant;

/**
 * One batch of security events for one receiver.
 *
 * @param id            the batch's id, also sent to the receiver, which may use it to drop a repeat
 * @param destination   the receiver's scheme, host and port only: a URL's path or query may carry a
 *                      credential of the receiver's and is never shown
 * @param state         where it stands
 * @param events        how many events it carries
 * @param attempts      failed attempts so far (set back to 0 by a re-drive)
 * @param createdAt     when it was put in the outbox
 * @param nextAttemptAt when it is tried next ({@code PENDING} only), else {@code null}
 * @param lastFailure   why the last attempt failed ({@code HTTP 503}, {@code TIMEOUT},
 *                      {@code CONNECTION_REFUSED}…), {@code null} if none did
 * @param deliveredAt   when a receiver took it, else {@code null}
 */
public record WebhookBatch(String id, String destination, WebhookBatchState state, int events, int attempts,
        Instant createdAt, Instant nextAttemptAt, String lastFailure, Instant deliveredAt) {
}
