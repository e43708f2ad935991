package io.enigm.server.policy.internal;

import java.util.List;

/** The rules filed under one (roles, action, resources) key, in document order. */
final class RuleSegment {

    final CompiledRule[] rules;
    final int required;
    final int graceable;
    final boolean enforces;

    RuleSegment(List<CompiledRule> rules) {
        this.rules = rules.toArray(new CompiledRule[0]);
        int required = 0;
        int graceable = 0;
        boolean enforces = false;
        for (CompiledRule rule : rules) {
            required |= rule.required;
            graceable |= rule.graceable;
            enforces |= !rule.reportOnly;
        }
        this.required = required;
        this.graceable = graceable;
        this.enforces = enforces;
    }
}
