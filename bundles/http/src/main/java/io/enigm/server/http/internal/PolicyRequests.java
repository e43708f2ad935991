package io.enigm.server.http.internal;

import java.util.Map;

/** The JSON shapes of policy request bodies (the policy document itself is validated by the policy bundle). */
final class PolicyRequests {

    private PolicyRequests() {
    }

    /**
     * A hypothetical request to simulate.
     *
     * @param signals assumed provider answers by category: PASS, FAIL, UNKNOWN or UNAVAILABLE; a
     *                category left out counts as UNAVAILABLE
     */
    record SimulateAccess(String memberRole, Boolean memberActive, Boolean deviceTrusted, Boolean openFinding,
            Boolean sessionFresh, String action, String resourceCategory, Map<String, String> signals) {
    }
}
