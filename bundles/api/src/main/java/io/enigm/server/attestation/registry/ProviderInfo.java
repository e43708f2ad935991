package io.enigm.server.attestation.registry;

import io.enigm.server.attestation.spi.SignalCategory;

/**
 * An attestation provider active now.
 *
 * @param type     its stable type, e.g. {@code enigm-key}
 * @param name     human-readable name
 * @param version  the provider's version
 * @param category the category of its signals
 * @param bundle   the symbolic name of the bundle that registered it, which with the type owns its
 *                 stored records
 * @param selected whether decisions ask it for its category; a provider not selected is deployed
 *                 but unused (another is configured for the category, or it duplicates a type)
 */
public record ProviderInfo(String type, String name, String version, SignalCategory category, String bundle,
        boolean selected) {
}
