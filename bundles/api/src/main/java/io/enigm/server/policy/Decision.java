package io.enigm.server.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import io.enigm.server.attestation.spi.SignalCategory;

/**
 * A decision and the policy version that made it.
 *
 * @param outcome       the verdict
 * @param categories    why it was denied or stepped up; empty when allowed
 * @param warnings      categories allowed only by a grace period or recorded by report-only rules
 * @param policyVersion the version of the environment's policy that decided
 * @param established   the providers' signals that passed while deciding, each until it expires:
 *                      what a session opened by this decision may count on later without new
 *                      evidence ({@link AccessRequest#established})
 */
public record Decision(DecisionOutcome outcome, Set<DecisionCategory> categories, Set<DecisionCategory> warnings,
        long policyVersion, Map<SignalCategory, Instant> established) {

    public Decision {
        established = Map.copyOf(established);
    }

    /** A decision that established no provider signal. */
    public Decision(DecisionOutcome outcome, Set<DecisionCategory> categories, Set<DecisionCategory> warnings,
            long policyVersion) {
        this(outcome, categories, warnings, policyVersion, Map.of());
    }

    /** This decision, having established {@code signals}. */
    public Decision establishing(Map<SignalCategory, Instant> signals) {
        return signals.isEmpty() ? this : new Decision(outcome, categories, warnings, policyVersion, signals);
    }
}
