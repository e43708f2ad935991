package io.enigm.server.membership.internal;

import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyEngine;

/** Asks the policy engine and fails closed: a decision that could not be made is a denial the device may retry. */
final class FailClosed {

    private static final Logger LOG = LoggerFactory.getLogger(FailClosed.class);

    private FailClosed() {
    }

    static Decision decide(PolicyEngine policy, AccessRequest request) {
        try {
            return policy.decide(request);
        } catch (RuntimeException e) {
            LOG.warn("The policy engine failed a {} decision ({}); denied", request.action(), e.getClass().getName());
            return new Decision(DecisionOutcome.DENY, Set.of(DecisionCategory.ATTESTATION_UNAVAILABLE), Set.of(), -1);
        }
    }

    /**
     * Whether an allowing decision carries what report-only rules would have denied: warnings
     * without a grace period (a grace period's warnings name the category it spares beside it).
     */
    static boolean reportOnlyWouldDeny(Decision decision) {
        return decision.outcome() == DecisionOutcome.ALLOW && !decision.warnings().isEmpty()
                && !decision.warnings().contains(DecisionCategory.GRACE_PERIOD);
    }
}
