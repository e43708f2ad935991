package io.enigm.server.attestation.registry;

import io.enigm.server.attestation.spi.SignalCategory;

/**
 * An attestation provider active now.
 *
 * @param type     its stable type, e.g. {@code enigm-key}
 * @param name     human-readable name
 * @param version  the provider's version
 * @param category the category of its signals
 */
public record ProviderInfo(String type, String name, String version, SignalCategory category) {
}
