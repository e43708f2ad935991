package io.enigm.server.attestation.internal;

import java.util.EnumMap;
import java.util.Map;

import io.enigm.server.attestation.spi.SignalCategory;

/** The configured provider type of each category, parsed so that a typo refuses to start, never means "any". */
final class CategoryProviders {

    private CategoryProviders() {
    }

    static Map<SignalCategory, String> parse(String[] entries) {
        Map<SignalCategory, String> configured = new EnumMap<>(SignalCategory.class);
        for (String entry : entries == null ? new String[0] : entries) {
            int equals = entry.indexOf('=');
            String type = equals < 0 ? "" : entry.substring(equals + 1).strip();
            if (equals < 1 || type.isEmpty()) {
                throw new IllegalArgumentException("categoryProviders entries must be CATEGORY=type, not '" + entry
                        + "'");
            }
            SignalCategory category;
            try {
                category = SignalCategory.valueOf(entry.substring(0, equals).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("categoryProviders: no category "
                        + entry.substring(0, equals).strip() + "; one of " + java.util.List.of(SignalCategory.values()));
            }
            if (configured.putIfAbsent(category, type) != null) {
                throw new IllegalArgumentException("categoryProviders names " + category + " twice");
            }
        }
        return Map.copyOf(configured);
    }
}
