package io.enigm.server.policy.internal;

import java.util.Map;
import java.util.Set;

import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.Requirement;

/**
 * One validated rule of a policy document.
 *
 * @param id         unique within the document; shown to policy administrators only
 * @param roles      the member roles it applies to; empty for every role ({@code "*"})
 * @param actions    the actions it applies to
 * @param resources  the resource categories it applies to; empty for any, including none ({@code "*"})
 * @param required   mask of the {@link Requirement}s that must all be met
 * @param reportOnly records what it would deny instead of denying
 * @param stepUp     answers unmet step-up-able requirements with STEP_UP rather than DENY
 * @param graceDays  days of grace per requirement for a device that met it and newly fails it
 */
record PolicyRule(String id, Set<String> roles, Set<AccessAction> actions, Set<String> resources, int required,
        boolean reportOnly, boolean stepUp, Map<Requirement, Integer> graceDays) {
}
