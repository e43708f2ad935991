package io.enigm.server.attestation.spi;

import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Turns a device's evidence into a {@link Signal}. Integrators register implementations as OSGi
 * services from their own bundles; the policy engine tracks them dynamically and asks them on the
 * session path, so they can be deployed and removed while the server runs.
 *
 * <p>Implementations must be thread-safe and fast: the server calls them on its own threads, gives
 * each call a time budget and treats a provider that exceeds it, throws, or is absent as
 * {@code ATTESTATION_UNAVAILABLE} (an operation is refused and changes nothing). Decisions ask, per
 * category, only the provider the server's configuration names for it.
 *
 * <p>What a provider is (its type, name, version and category) it states as service properties,
 * not in code: see {@link ProviderMetadata}.
 */
@ConsumerType
public interface AttestationProvider {

    /**
     * Evaluates the evidence a device sent for this provider. A possession proof must cover
     * {@link AttestedDevice#challenge}; answer {@link SignalResult#UNKNOWN} for anything unverifiable
     * and {@link SignalResult#FAIL} only for a verified negative finding (see {@link Signal#lapse}).
     * Records are read-only here.
     *
     * @param device   the device as the server knows it
     * @param evidence the provider-specific part of the request's evidence (parsed JSON: maps,
     *                 lists, strings, numbers, booleans), empty when the device sent none
     * @return the verdict; never {@code null}
     */
    Signal evaluate(AttestedDevice device, Map<String, Object> evidence);

    /** The lifecycle operations administrators may invoke, e.g. {@code link}, {@code mark-lost}. */
    Set<String> operations();

    /**
     * The operations an outside service calls back with, no administrator in between, e.g. a
     * managed-device service's compliance report. Each must authenticate itself in {@link #operate}
     * (a signature under a secret or key the provider is configured with), because the server takes
     * callbacks from whoever reaches the callback path. None by default.
     */
    default Set<String> callbackOperations() {
        return Set.of();
    }

    /**
     * Checks a callback's own authentication before {@link #operate} runs for it: refuse here
     * whatever needs no state (a bad signature, a malformed or misaddressed body), so that forged
     * calls, which anyone can send, read and stage nothing. {@link #operate} still runs every check it
     * needs. Accepts everything by default.
     *
     * @throws AttestationException when the call is not authentic
     */
    default void authenticateCallback(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException {
        // nothing to check before the operation itself
    }

    /**
     * Performs a lifecycle operation for a device. Runs before the request's transaction: what it
     * writes to {@link AttestedDevice#records} is staged, and written once the request commits, only
     * if the records it read are unchanged by then (else the request is refused as a conflict).
     *
     * @return the provider's view of the device after the operation (handles and states only)
     * @throws AttestationException when the request is invalid or the state does not allow it
     */
    Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request)
            throws AttestationException;

    /** The provider's current view of the device (handles and states only). */
    Map<String, Object> describe(AttestedDevice device);
}
