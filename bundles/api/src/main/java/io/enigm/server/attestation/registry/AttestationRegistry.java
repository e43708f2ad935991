package io.enigm.server.attestation.registry;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.SignalCategory;

/**
 * The attestation providers deployed now, tracked as they come and go, and the one way the
 * server asks them anything: never for longer than a provider's time budget.
 */
@ProviderType
public interface AttestationRegistry {

    /** The providers deployed now, by type, each marked whether decisions ask it for its category. */
    List<ProviderInfo> providers();

    /**
     * Asks, concurrently and each within its budget, the provider of every category in
     * {@code needed} about {@code device}. A category whose provider is absent, throws or is too
     * slow is {@link Observation#unavailable}; this method never throws for a provider's fault and
     * returns within the largest budget (plus scheduling).
     *
     * @param evidence the device's evidence by provider type (parsed JSON), possibly empty
     */
    Map<SignalCategory, Observation> observe(DeviceRef device, Set<SignalCategory> needed,
            Map<String, Map<String, Object>> evidence);

    /**
     * A provider's view of a device, for administrators.
     *
     * @throws io.enigm.server.common.NotFoundException if no provider of that type is active
     */
    Map<String, Object> describe(DeviceRef device, String type);

    /**
     * Runs a provider's lifecycle operation (e.g. link a key, mark it lost) for a device, on the
     * registry's threads within the provider's time budget, against the device's records as they are
     * now; nothing is written until the returned change is {@linkplain AttestationChange#apply applied}.
     * Call it outside any write transaction: the database's one writer never waits on provider code.
     *
     * @throws io.enigm.server.common.NotFoundException if no provider of that type is active
     * @throws AttestationException when the provider refuses
     * @throws io.enigm.server.common.UnavailableException when the provider has not answered within
     *                                                     its budget or failed: nothing is changed
     */
    AttestationChange prepareOperation(DeviceRef device, String type, String operation, Map<String, Object> request)
            throws AttestationException;

    /**
     * As {@link #prepareOperation}, for one of a provider's
     * {@linkplain io.enigm.server.attestation.spi.AttestationProvider#callbackOperations callback
     * operations}: a call an outside service makes on its own authority, which the provider
     * authenticates first.
     *
     * @throws io.enigm.server.common.NotFoundException when no provider of {@code type} is deployed
     * @throws AttestationException when the operation is not a callback, the call is not authentic or
     *                              the provider refuses it
     */
    AttestationChange prepareCallback(DeviceRef device, String type, String operation, Map<String, Object> request)
            throws AttestationException;

    /** Categories whose providers are active now. */
    Set<SignalCategory> availableCategories();

    /**
     * The time budget and its use since this server started of each provider type {@link #providers}
     * lists, in the same order.
     *
     * @since 2.1
     */
    List<ProviderUsage> usage();
}
