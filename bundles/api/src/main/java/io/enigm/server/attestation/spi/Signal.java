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
 * @param lapse      for a {@link SignalResult#FAIL} only: the provider verified evidence (a valid
 *                   signature, an authenticated report) that shows compliance drifting in a way
 *                   that heals by itself (an outdated patch level, a compliance check no longer
 *                   met), which a policy may answer with a grace period. Every other failure, and
 *                   every signal without verified evidence, is not a lapse and is never graced.
 */
public record Signal(SignalCategory category, SignalResult result, Instant expiresAt, String reasonCode,
        boolean lapse) {

    public Signal {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (lapse && result != SignalResult.FAIL) {
            throw new IllegalArgumentException("only a FAIL can be a lapse");
        }
    }

    /** A signal that is not a lapse: what every provider built before 1.2 gives. */
    public Signal(SignalCategory category, SignalResult result, Instant expiresAt, String reasonCode) {
        this(category, result, expiresAt, reasonCode, false);
    }
}
