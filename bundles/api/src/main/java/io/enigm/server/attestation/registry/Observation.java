package io.enigm.server.attestation.registry;

import java.time.Instant;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;

/**
 * What the server learned about one category for one device.
 *
 * @param category    the category asked for
 * @param result      the provider's verdict, or {@code null} when no answer was had
 * @param available   {@code false} when no provider of the category is deployed, it threw, or it
 *                    did not answer within its budget: policies then fail closed
 * @param expiresAt   when the verdict must be asked again, or {@code null} when unavailable
 * @param reasonCode  the provider's reason, for administrators only, or {@code null}
 * @param lapse       the verdict is a verified lapse that a policy may grace
 *                    ({@link io.enigm.server.attestation.spi.Signal#lapse})
 */
public record Observation(SignalCategory category, SignalResult result, boolean available, Instant expiresAt,
        String reasonCode, boolean lapse) {

    public static Observation unavailable(SignalCategory category, String reasonCode) {
        return new Observation(category, null, false, null, reasonCode, false);
    }

    /** Whether the signal was had and passed. */
    public boolean passed() {
        return available && result == SignalResult.PASS;
    }
}
