package io.enigm.server.policy;

import java.util.Set;

/**
 * A decision and the policy version that made it.
 *
 * @param outcome       the verdict
 * @param categories    why it was denied or stepped up; empty when allowed
 * @param warnings      categories allowed only by a grace period or recorded by report-only rules
 * @param policyVersion the version of the environment's policy that decided
 */
public record Decision(DecisionOutcome outcome, Set<DecisionCategory> categories, Set<DecisionCategory> warnings,
        long policyVersion) {
}
