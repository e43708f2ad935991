package io.enigm.server.attestation.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.enigm.server.attestation.spi.SignalCategory;

/**
 * Which registered provider answers each category and each type, decided once per change of the
 * deployed providers. A category's provider is the one whose type the configuration names for it;
 * for a category the configuration leaves open, the only provider of that category, and none when
 * there are several: a newly deployed provider never silently takes over a category. Of two
 * registrations of one type the first stays in use. Immutable, so readers never lock.
 */
final class ProviderSelection {

    /** Reason code of a category left open with several candidate providers. */
    static final String AMBIGUOUS = "PROVIDER_AMBIGUOUS";

    private final Map<String, Registration> byType;
    private final Map<SignalCategory, Registration> byCategory;
    private final Set<SignalCategory> ambiguous;
    private final List<Registration> all;

    private ProviderSelection(Map<String, Registration> byType, Map<SignalCategory, Registration> byCategory,
            Set<SignalCategory> ambiguous, List<Registration> all) {
        this.byType = byType;
        this.byCategory = byCategory;
        this.ambiguous = ambiguous;
        this.all = all;
    }

    static ProviderSelection none() {
        return new ProviderSelection(Map.of(), Map.of(), Set.of(), List.of());
    }

    /** @param registrations every registered provider, in registration order */
    static ProviderSelection of(List<Registration> registrations, Map<SignalCategory, String> configured) {
        Map<String, Registration> byType = new LinkedHashMap<>();
        for (Registration registration : registrations) {
            byType.putIfAbsent(registration.type(), registration);
        }
        Map<SignalCategory, Registration> byCategory = new EnumMap<>(SignalCategory.class);
        Set<SignalCategory> ambiguous = java.util.EnumSet.noneOf(SignalCategory.class);
        for (SignalCategory category : SignalCategory.values()) {
            List<Registration> candidates = byType.values().stream()
                    .filter(registration -> registration.category() == category).toList();
            String named = configured.get(category);
            if (named != null) {
                candidates.stream().filter(registration -> registration.type().equals(named)).findFirst()
                        .ifPresent(registration -> byCategory.put(category, registration));
            } else if (candidates.size() == 1) {
                byCategory.put(category, candidates.get(0));
            } else if (candidates.size() > 1) {
                ambiguous.add(category);
            }
        }
        return new ProviderSelection(Map.copyOf(byType), Collections.unmodifiableMap(byCategory),
                Set.copyOf(ambiguous), List.copyOf(registrations));
    }

    /** The provider decisions ask for {@code category}, or {@code null}. */
    Registration forCategory(SignalCategory category) {
        return byCategory.get(category);
    }

    /** Why {@code category} has no provider: none deployed or configured, or several and none configured. */
    String missingReason(SignalCategory category) {
        return ambiguous.contains(category) ? AMBIGUOUS : ProviderRegistry.ABSENT;
    }

    /** The registration in use for {@code type}, or {@code null}. */
    Registration forType(String type) {
        return type == null ? null : byType.get(type);
    }

    Set<SignalCategory> categories() {
        return byCategory.keySet();
    }

    boolean isSelected(Registration registration) {
        return byCategory.get(registration.category()) == registration;
    }

    /** Every registration, each marked whether decisions ask it: by type, then bundle. */
    List<Registration> listing() {
        List<Registration> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(Registration::type).thenComparing(Registration::bundle));
        return sorted;
    }

    /** What an operator should hear about: registrations deployed but not asked, and open ambiguous categories. */
    List<String> warnings() {
        List<String> warnings = new ArrayList<>();
        for (Registration registration : all) {
            if (byType.get(registration.type()) != registration) {
                warnings.add("a second attestation provider of type " + registration.type() + " (bundle "
                        + registration.bundle() + ") is deployed; the first one stays in use");
            } else if (!isSelected(registration) && !ambiguous.contains(registration.category())) {
                warnings.add("attestation provider " + registration.type() + " is deployed but not used: the"
                        + " configuration names another provider for " + registration.category());
            }
        }
        for (SignalCategory category : ambiguous) {
            warnings.add("several attestation providers of category " + category + " are deployed and the"
                    + " configuration names none: decisions that need " + category + " fail closed");
        }
        return warnings;
    }
}
