package io.enigm.server.policy.internal;

import java.util.EnumSet;
import java.util.Set;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.Requirement;

/**
 * What each requirement means to evaluation: its bit in a requirement mask, the category a
 * requester is told when it is not met, the provider category that answers it, and whether a
 * rule may answer it with a step-up or a grace period.
 */
final class Requirements {

    static final Requirement[] ALL = Requirement.values();

    /** Met by what the device itself can still present: a fresh key proof, a Key, fresh evidence. */
    static final int STEP_UP_ABLE = bit(Requirement.SESSION_FRESH) | bit(Requirement.HARDWARE_KEY_VERIFIED)
            | bit(Requirement.OS_POSTURE_ACCEPTABLE) | bit(Requirement.MANAGED_DEVICE_COMPLIANT)
            | bit(Requirement.ESIM_BOUND);

    /**
     * Compliance that drifts (an OS release, a compliance check) and so may get a grace period. A
     * lost Enigm Key or an unbound eSIM must fail at once, and account, device and finding states
     * are administrators' decisions, so none of those can be graced.
     */
    static final int GRACE_ABLE = bit(Requirement.OS_POSTURE_ACCEPTABLE) | bit(Requirement.MANAGED_DEVICE_COMPLIANT);

    /** Answered by attestation providers. */
    static final int PROVIDER_BACKED = bit(Requirement.MANAGED_DEVICE_COMPLIANT)
            | bit(Requirement.OS_POSTURE_ACCEPTABLE) | bit(Requirement.HARDWARE_KEY_VERIFIED)
            | bit(Requirement.ESIM_BOUND);

    private static final DecisionCategory[] CATEGORY = new DecisionCategory[ALL.length];
    private static final SignalCategory[] SIGNAL = new SignalCategory[ALL.length];

    static {
        CATEGORY[Requirement.MEMBER_ACTIVE.ordinal()] = DecisionCategory.ACCOUNT_ELIGIBILITY;
        CATEGORY[Requirement.DEVICE_TRUSTED.ordinal()] = DecisionCategory.DEVICE_TRUST;
        CATEGORY[Requirement.SESSION_FRESH.ordinal()] = DecisionCategory.SESSION_FRESHNESS;
        CATEGORY[Requirement.MANAGED_DEVICE_COMPLIANT.ordinal()] = DecisionCategory.MANAGED_DEVICE;
        CATEGORY[Requirement.OS_POSTURE_ACCEPTABLE.ordinal()] = DecisionCategory.OS_POSTURE;
        CATEGORY[Requirement.HARDWARE_KEY_VERIFIED.ordinal()] = DecisionCategory.HARDWARE_KEY;
        CATEGORY[Requirement.ESIM_BOUND.ordinal()] = DecisionCategory.ESIM_BINDING;
        CATEGORY[Requirement.NO_OPEN_FINDING.ordinal()] = DecisionCategory.SECURITY_FINDING;
        SIGNAL[Requirement.MANAGED_DEVICE_COMPLIANT.ordinal()] = SignalCategory.MANAGED_DEVICE;
        SIGNAL[Requirement.OS_POSTURE_ACCEPTABLE.ordinal()] = SignalCategory.OS_POSTURE;
        SIGNAL[Requirement.HARDWARE_KEY_VERIFIED.ordinal()] = SignalCategory.HARDWARE_KEY;
        SIGNAL[Requirement.ESIM_BOUND.ordinal()] = SignalCategory.ESIM_BINDING;
    }

    @SuppressWarnings("unchecked")
    private static final Set<SignalCategory>[] SIGNAL_SETS = new Set[1 << ALL.length];

    static {
        for (int mask = 0; mask < SIGNAL_SETS.length; mask++) {
            Set<SignalCategory> categories = EnumSet.noneOf(SignalCategory.class);
            for (int rest = mask & PROVIDER_BACKED; rest != 0; rest &= rest - 1) {
                categories.add(SIGNAL[Integer.numberOfTrailingZeros(rest)]);
            }
            SIGNAL_SETS[mask] = Set.copyOf(categories);
        }
    }

    private Requirements() {
    }

    static int bit(Requirement requirement) {
        return 1 << requirement.ordinal();
    }

    /** The category mask ({@link DecisionCategory} ordinals) of the requirements in {@code mask}. */
    static int categories(int mask) {
        int categories = 0;
        for (int rest = mask; rest != 0; rest &= rest - 1) {
            categories |= 1 << CATEGORY[Integer.numberOfTrailingZeros(rest)].ordinal();
        }
        return categories;
    }

    /** The provider category answering {@code requirement}, or {@code null} when the request does. */
    static SignalCategory signal(Requirement requirement) {
        return SIGNAL[requirement.ordinal()];
    }

    /** The requirement a provider category answers. */
    static Requirement answeredBy(SignalCategory category) {
        for (Requirement requirement : ALL) {
            if (SIGNAL[requirement.ordinal()] == category) {
                return requirement;
            }
        }
        throw new IllegalArgumentException(category.name());
    }

    /** The provider categories of the provider-backed requirements in {@code mask}: one shared set per mask. */
    static Set<SignalCategory> signals(int mask) {
        return SIGNAL_SETS[mask & PROVIDER_BACKED];
    }

    static String names(int mask) {
        StringBuilder names = new StringBuilder();
        for (int rest = mask; rest != 0; rest &= rest - 1) {
            names.append(names.length() == 0 ? "" : ", ").append(ALL[Integer.numberOfTrailingZeros(rest)]);
        }
        return names.toString();
    }
}
