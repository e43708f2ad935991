package io.enigm.server.content;

import java.time.Duration;
import java.util.Set;

import io.enigm.server.environment.Surface;

/**
 * What a device states about the ciphertext it uploads.
 *
 * @param surface           the surface it is sent on; a disabled surface refuses the upload
 * @param recipients        member ids it is for; empty for every member of the environment
 * @param requestedLifetime how long it should live, or {@code null} for as long as the environment allows
 * @param idempotencyKey    the device's key for retries of this upload, or {@code null}: a retry
 *                          with the same key, bytes and statements within 24 hours answers with the
 *                          first upload's receipt and stores nothing new
 */
public record ContentUpload(Surface surface, Set<String> recipients, Duration requestedLifetime,
        String idempotencyKey) {

    public ContentUpload {
        recipients = Set.copyOf(recipients);
    }

    /** An upload without an idempotency key. */
    public ContentUpload(Surface surface, Set<String> recipients, Duration requestedLifetime) {
        this(surface, recipients, requestedLifetime, null);
    }
}
