package io.enigm.server.policy.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.Requirement;

/**
 * One policy version in the form decisions read: for every (role, action, resource category) the
 * rules that apply, precomputed, each reduced to requirement bit masks. Built once per version and
 * then only read, by any number of threads, without locks; evaluating it allocates nothing.
 *
 * <p>A verdict is a {@code long}: the outcome in bits 0–1, the deciding categories in bits 16–31 and
 * the warning categories in bits 32–47 (bit = {@link DecisionCategory} ordinal).
 */
final class CompiledPolicy {

    private static final AccessAction[] ACTIONS = AccessAction.values();
    private static final DecisionCategory[] CATEGORIES = DecisionCategory.values();
    private static final DecisionOutcome[] OUTCOMES = DecisionOutcome.values();
    private static final int UNAVAILABLE = 1 << DecisionCategory.ATTESTATION_UNAVAILABLE.ordinal();
    private static final int GRACE = 1 << DecisionCategory.GRACE_PERIOD.ordinal();
    private static final int NOT_PERMITTED = 1 << DecisionCategory.ACCOUNT_ELIGIBILITY.ordinal();
    /** Category mask of every requirement mask: no loop on the decision path. */
    private static final int[] CATEGORY_OF = new int[1 << Requirements.ALL.length];
    /** Every set of categories once, so that a decision shares them instead of building its own. */
    @SuppressWarnings("unchecked")
    private static final Set<DecisionCategory>[] CATEGORY_SETS = new Set[1 << CATEGORIES.length];

    static {
        for (int mask = 0; mask < CATEGORY_OF.length; mask++) {
            CATEGORY_OF[mask] = Requirements.categories(mask);
        }
        for (int mask = 0; mask < CATEGORY_SETS.length; mask++) {
            Set<DecisionCategory> set = EnumSet.noneOf(DecisionCategory.class);
            for (DecisionCategory category : CATEGORIES) {
                if ((mask & (1 << category.ordinal())) != 0) {
                    set.add(category);
                }
            }
            CATEGORY_SETS[mask] = Collections.unmodifiableSet(set);
        }
    }

    /** A rule reduced to masks. */
    private static final class Rule {
        final String id;
        final int required;
        final boolean stepUp;
        final int graceable;
        final long[] graceMillis = new long[Requirements.ALL.length];

        Rule(PolicyRule rule) {
            this.id = rule.id();
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

    /** The rules that apply to one (role, action, resource category), and what asking them needs. */
    static final class Cell {
        private final Rule[] enforce;
        private final Rule[] reportOnly;
        /** Provider categories any of the rules needs: the only ones asked. */
        final Set<SignalCategory> providers;
        /** Requirements some rule here gives a grace period: the only ones whose history is read. */
        final int graceable;
        /** Ids of the rules that apply, in document order. */
        final List<String> matched;

        Cell(List<Rule> enforce, List<Rule> reportOnly, List<String> matched) {
            this.enforce = enforce.toArray(new Rule[0]);
            this.reportOnly = reportOnly.toArray(new Rule[0]);
            int required = 0;
            int graceable = 0;
            for (Rule rule : enforce) {
                required |= rule.required;
                graceable |= rule.graceable;
            }
            for (Rule rule : reportOnly) {
                required |= rule.required;
                graceable |= rule.graceable;
            }
            this.providers = Requirements.signals(required);
            this.graceable = graceable;
            this.matched = List.copyOf(matched);
        }
    }

    final long version;
    private final Map<String, Integer> roleIndex;
    private final Map<String, Integer> resourceIndex;
    private final int resources;
    private final Cell[] cells;
    private final Decision allowed;

    /** The same compiled rules as the version numbered {@code version}. */
    CompiledPolicy at(long version) {
        return new CompiledPolicy(version, roleIndex, resourceIndex, cells);
    }

    private CompiledPolicy(long version, Map<String, Integer> roleIndex, Map<String, Integer> resourceIndex,
            Cell[] cells) {
        this.version = version;
        this.roleIndex = roleIndex;
        this.resourceIndex = resourceIndex;
        this.resources = resourceIndex.size() + 1;
        this.cells = cells;
        this.allowed = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(), version);
    }

    /**
     * Compiles a validated document. Index 0 of roles and of resource categories stands for every
     * one no rule names (and for no resource at all): only wildcard rules apply there.
     */
    static CompiledPolicy compile(long version, PolicyDocument document) {
        List<String> roleNames = new ArrayList<>();
        List<String> resourceNames = new ArrayList<>();
        roleNames.add(null);
        resourceNames.add(null);
        for (PolicyRule rule : document.rules()) {
            rule.roles().stream().sorted().filter(role -> !roleNames.contains(role)).forEach(roleNames::add);
            rule.resources().stream().sorted().filter(name -> !resourceNames.contains(name))
                    .forEach(resourceNames::add);
        }
        Map<String, Integer> roleIndex = index(roleNames);
        Map<String, Integer> resourceIndex = index(resourceNames);
        List<Rule> compiled = document.rules().stream().map(Rule::new).toList();
        Cell[] cells = new Cell[roleNames.size() * ACTIONS.length * resourceNames.size()];
        for (int role = 0; role < roleNames.size(); role++) {
            for (AccessAction action : ACTIONS) {
                for (int resource = 0; resource < resourceNames.size(); resource++) {
                    List<Rule> enforce = new ArrayList<>();
                    List<Rule> reportOnly = new ArrayList<>();
                    List<String> matched = new ArrayList<>();
                    for (int i = 0; i < compiled.size(); i++) {
                        PolicyRule rule = document.rules().get(i);
                        if (applies(rule.roles(), roleNames.get(role)) && rule.actions().contains(action)
                                && applies(rule.resources(), resourceNames.get(resource))) {
                            (rule.reportOnly() ? reportOnly : enforce).add(compiled.get(i));
                            matched.add(rule.id());
                        }
                    }
                    cells[(role * ACTIONS.length + action.ordinal()) * resourceNames.size() + resource] =
                            new Cell(enforce, reportOnly, matched);
                }
            }
        }
        return new CompiledPolicy(version, roleIndex, resourceIndex, cells);
    }

    private static boolean applies(Set<String> names, String name) {
        return names.isEmpty() || (name != null && names.contains(name));
    }

    private static Map<String, Integer> index(List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 1; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        return Map.copyOf(index);
    }

    /** The rules that apply to a request for {@code action} by a member of {@code role}. */
    Cell cell(String role, AccessAction action, String resourceCategory) {
        Integer roleAt = role == null ? null : roleIndex.get(role);
        Integer resourceAt = resourceCategory == null ? null : resourceIndex.get(resourceCategory);
        return cells[((roleAt == null ? 0 : roleAt) * ACTIONS.length + action.ordinal()) * resources
                + (resourceAt == null ? 0 : resourceAt)];
    }

    /**
     * The verdict on {@code signals} at {@code now}. Access needs at least one enforce rule that
     * applies, and every enforce rule that applies must be met; report-only rules only add warnings.
     *
     * @param reportOnlyDenials receives the ids of report-only rules that would have denied, or
     *                          {@code null} when nobody asks (the decision path)
     */
    long evaluate(Cell cell, Signals signals, long now, List<String> reportOnlyDenials) {
        if (cell.enforce.length == 0) {
            return verdict(DecisionOutcome.DENY, NOT_PERMITTED, 0);
        }
        int deny = 0;
        int stepUp = 0;
        int warnings = 0;
        for (Rule rule : cell.enforce) {
            int missing = rule.required & ~signals.met;
            if (missing == 0) {
                continue;
            }
            if ((missing & signals.unavailable) != 0) {
                deny |= UNAVAILABLE;
            }
            int failed = missing & ~signals.unavailable;
            int graced = graced(rule, failed, signals, now);
            if (graced != 0) {
                warnings |= GRACE | CATEGORY_OF[graced];
                failed &= ~graced;
            }
            if (rule.stepUp) {
                stepUp |= CATEGORY_OF[failed & Requirements.STEP_UP_ABLE];
                deny |= CATEGORY_OF[failed & ~Requirements.STEP_UP_ABLE];
            } else {
                deny |= CATEGORY_OF[failed];
            }
        }
        for (Rule rule : cell.reportOnly) {
            int missing = rule.required & ~signals.met;
            if (missing == 0) {
                continue;
            }
            int failed = missing & ~signals.unavailable;
            int wouldDeny = ((missing & signals.unavailable) != 0 ? UNAVAILABLE : 0)
                    | CATEGORY_OF[failed & ~graced(rule, failed, signals, now)];
            if (wouldDeny != 0) {
                warnings |= wouldDeny;
                if (reportOnlyDenials != null) {
                    reportOnlyDenials.add(rule.id);
                }
            }
        }
        if (deny != 0) {
            return verdict(DecisionOutcome.DENY, deny, warnings);
        }
        if (stepUp != 0) {
            return verdict(DecisionOutcome.STEP_UP, stepUp, warnings);
        }
        return verdict(DecisionOutcome.ALLOW, 0, warnings);
    }

    /**
     * The failed requirements the device keeps within {@code rule}'s grace period: a lapse that began
     * less than the period ago, in a device seen meeting the requirement within the period before it
     * began (a pass long ago does not make a lapse new).
     */
    private static int graced(Rule rule, int failed, Signals signals, long now) {
        int graced = 0;
        for (int rest = failed & rule.graceable; rest != 0; rest &= rest - 1) {
            int requirement = Integer.numberOfTrailingZeros(rest);
            long since = signals.failingSince(requirement);
            long period = rule.graceMillis[requirement];
            if (since != Signals.NO_GRACE && now - since < period && since - signals.lastMet(requirement) < period) {
                graced |= 1 << requirement;
            }
        }
        return graced;
    }

    static long verdict(DecisionOutcome outcome, int categories, int warnings) {
        return outcome.ordinal() | ((long) categories << 16) | ((long) warnings << 32);
    }

    static DecisionOutcome outcome(long verdict) {
        return OUTCOMES[(int) (verdict & 3)];
    }

    /** The decision of a verdict; the plain ALLOW is one shared instance per version. */
    Decision decision(long verdict) {
        if (verdict == 0) {
            return allowed;
        }
        return new Decision(outcome(verdict), CATEGORY_SETS[(int) (verdict >>> 16) & 0xFFFF],
                CATEGORY_SETS[(int) (verdict >>> 32) & 0xFFFF], version);
    }
}
