package io.enigm.server.attestation.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A provider's verdict on one device.
 *
 * @param category   what kind of assurance this is
 * @param result     the verdict
 * @param expiresAt  after this instant the signal must be evaluated again
 * @param reasonCode the provider's own reason (e.g. {@code KEY_REVOKED}); recorded for
 *                   administrators, never shown to the requesting device
 */
public record Signal(SignalCategory category, SignalResult result, Instant expiresAt, String reasonCode) {

    public Signal {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
