package io.enigm.server.policy.internal;

import java.util.Map;

import io.enigm.server.policy.Requirement;

/** A rule of a compiled policy, reduced to masks. */
final class CompiledRule {

    final String id;
    /** Its place in the document: what simulation reports in. */
    final int order;
    final boolean reportOnly;
    final int required;
    final boolean stepUp;
    final int graceable;
    final long[] graceMillis = new long[Requirements.ALL.length];

    CompiledRule(PolicyRule rule, int order) {
        this.id = rule.id();
        this.order = order;
        this.reportOnly = rule.reportOnly();
        this.required = rule.required();
        this.stepUp = rule.stepUp();
        int graceable = 0;
        for (Map.Entry<Requirement, Integer> grace : rule.graceDays().entrySet()) {
            graceable |= Requirements.bit(grace.getKey());
            graceMillis[grace.getKey().ordinal()] = grace.getValue() * 86_400_000L;
        }
        this.graceable = graceable;
    }
}
