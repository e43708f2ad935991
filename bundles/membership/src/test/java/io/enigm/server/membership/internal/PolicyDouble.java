package io.enigm.server.membership.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyEngine;
import io.enigm.server.policy.Simulation;

/**
 * The policy engine as the session flow sees it: a collaborator owned by the policy bundle, here
 * answering the decision the test sets and keeping the requests it was asked. The Pax Exam test
 * runs the flow against the real engine.
 */
final class PolicyDouble implements PolicyEngine {

    /** The decision to answer; {@code null} makes the engine fail. */
    volatile Decision next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(), 1);
    final List<AccessRequest> asked = new CopyOnWriteArrayList<>();

    @Override
    public Decision decide(AccessRequest request) {
        asked.add(request);
        Decision decision = next;
        if (decision == null) {
            throw new IllegalStateException("the engine is failing");
        }
        return decision;
    }

    @Override
    public Simulation simulate(AccessRequest request) {
        return new Simulation(decide(request), List.of(), List.of());
    }

    @Override
    public Simulation simulate(AccessRequest request, Map<SignalCategory, SignalResult> assumed) {
        return simulate(request);
    }
}
