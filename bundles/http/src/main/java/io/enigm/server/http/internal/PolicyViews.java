package io.enigm.server.http.internal;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonRawValue;

import io.enigm.server.policy.Decision;
import io.enigm.server.policy.PolicyVersion;
import io.enigm.server.policy.Simulation;

/** The JSON shapes of policy answers. */
final class PolicyViews {

    private PolicyViews() {
    }

    /** A version with its document as JSON (stored only after validation, re-serialized by the policy bundle). */
    record PolicyVersionView(String environmentId, long version, String author, String createdAt,
            @JsonRawValue String document) {

        static PolicyVersionView of(PolicyVersion version) {
            return new PolicyVersionView(version.environmentId(), version.version(), version.author(),
                    version.createdAt().toString(), version.document());
        }
    }

    record DecisionView(String outcome, List<String> categories, List<String> warnings, long policyVersion) {

        static DecisionView of(Decision decision) {
            return new DecisionView(decision.outcome().name(),
                    decision.categories().stream().map(Enum::name).sorted().toList(),
                    decision.warnings().stream().map(Enum::name).sorted().toList(), decision.policyVersion());
        }
    }

    record SimulationView(DecisionView decision, List<String> matchedRules, List<String> reportOnlyDenials) {

        static SimulationView of(Simulation simulation) {
            return new SimulationView(DecisionView.of(simulation.decision()), simulation.matchedRules(),
                    simulation.reportOnlyDenials());
        }
    }
}
