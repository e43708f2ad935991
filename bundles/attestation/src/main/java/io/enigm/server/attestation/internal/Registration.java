package io.enigm.server.attestation.internal;

import java.util.Optional;
import java.util.function.Function;

import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.SignalCategory;

/**
 * One provider service as it was registered: what its service properties state it is, and the
 * symbolic name of the bundle that registered it. Type and bundle together own the provider's
 * records, so that another bundle registering the same type never reads them.
 */
record Registration(AttestationProvider provider, String type, String name, String version,
        SignalCategory category, String bundle) {

    /**
     * The registration of {@code provider}, read from its service properties ({@link ProviderMetadata})
     * without calling it; empty when they do not state all four facts or the bundle is unknown.
     */
    static Optional<Registration> of(AttestationProvider provider, Function<String, Object> properties,
            String bundle) {
        String type = text(properties.apply(ProviderMetadata.TYPE));
        String name = text(properties.apply(ProviderMetadata.NAME));
        String version = text(properties.apply(ProviderMetadata.VERSION));
        SignalCategory category = category(properties.apply(ProviderMetadata.CATEGORY));
        if (type == null || name == null || version == null || category == null || text(bundle) == null) {
            return Optional.empty();
        }
        return Optional.of(new Registration(provider, type, name, version, category, bundle));
    }

    ProviderInfo info(boolean selected) {
        return new ProviderInfo(type, name, version, category, bundle, selected);
    }

    private static String text(Object value) {
        return value instanceof String text && !text.isBlank() ? text : null;
    }

    private static SignalCategory category(Object value) {
        String name = text(value);
        try {
            return name == null ? null : SignalCategory.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
