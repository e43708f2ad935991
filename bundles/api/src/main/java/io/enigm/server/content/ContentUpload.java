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
 */
public record ContentUpload(Surface surface, Set<String> recipients, Duration requestedLifetime) {

    public ContentUpload {
        recipients = Set.copyOf(recipients);
    }
}
