package io.enigm.server.policy.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.enigm.server.common.InvalidRequestException;

/**
 * What one policy document may cost the server, checked before anything is compiled. Compilation
 * writes one entry for each (role, action, resource category) that a rule names — a {@code "*"}
 * counting once — and does nothing else per entry, so the compiled size bounds both the memory a
 * version holds and the time its compilation takes. A document over a limit is refused with the
 * JSON pointer where it crossed it and a message naming the limit.
 */
final class PolicyLimits {

    /** Distinct role names across all rules ({@code "*"} not counted). */
    static final int MAX_ROLES = 64;
    /** Distinct resource category names across all rules ({@code "*"} not counted). */
    static final int MAX_RESOURCES = 64;
    /** Entries of the compiled form: the sum over rules of roles × actions × resource categories. */
    static final int MAX_COMPILED_ENTRIES = 16_384;

    private PolicyLimits() {
    }

    /** Refuses {@code rules} (in document order) if they cross a limit; otherwise returns their compiled size. */
    static int check(List<PolicyRule> rules) {
        Set<String> roles = new HashSet<>();
        Set<String> resources = new HashSet<>();
        long entries = 0;
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            distinct(rule.roles(), roles, MAX_ROLES, "/rules/" + i + "/roles", "roles");
            distinct(rule.resources(), resources, MAX_RESOURCES, "/rules/" + i + "/resources", "resource categories");
            entries += entries(rule);
            if (entries > MAX_COMPILED_ENTRIES) {
                throw new InvalidRequestException("/rules/" + i, "brings the compiled policy to " + entries
                        + " entries (roles × actions × resource categories named, summed over the rules): over the"
                        + " limit of " + MAX_COMPILED_ENTRIES + " compiled entries");
            }
        }
        return (int) entries;
    }

    /** The entries {@code rule} adds to the compiled form. */
    static long entries(PolicyRule rule) {
        return (long) Math.max(1, rule.roles().size()) * rule.actions().size() * Math.max(1, rule.resources().size());
    }

    private static void distinct(Set<String> named, Set<String> seen, int limit, String at, String what) {
        for (String name : named) {
            if (seen.add(name) && seen.size() > limit) {
                throw new InvalidRequestException(at, "names more than " + limit + " distinct " + what
                        + " in the policy: over the limit of " + limit + " distinct " + what);
            }
        }
    }
}
