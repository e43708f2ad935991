package io.enigm.server.policy.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;

/**
 * One policy version in the form decisions read, then only read, by any number of threads, without
 * locks; evaluating it allocates nothing.
 *
 * <p>It is compiled sparsely, in proportion to the document: each rule is filed under every
 * (role, action, resource category) it names, a {@code "*"} being one name, in four kinds of
 * segment — {@code "*"} roles and {@code "*"} resources (the default path for everything no rule
 * names), a named role with {@code "*"} resources, {@code "*"} roles with a named resource, and a
 * named role with a named resource. The rules applying to a request are the disjoint union of at
 * most one segment of each kind. The cells a request reads are prepared for the default path, each
 * named role, each named resource and each pair some rule names together, so a version costs
 * {@link PolicyLimits#entries} summed over its rules. A request whose role and resource are named
 * only by different rules gets a cell joined from the two — references to their segments, never
 * copies of rules — on first use, kept for the next: nothing is built for role × resource pairs
 * nobody asks about, and never more than named roles × named resources × actions small cells.
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
    private static final RuleSegment[] NO_SEGMENTS = new RuleSegment[0];

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

    /** The rules that apply to one request: its segments, and what asking them needs. */
    static final class Cell {
        private final RuleSegment[] segments;
        private final boolean enforced;
        /** Provider categories any of the rules needs: the only ones asked. */
        final Set<SignalCategory> providers;
        /** Requirements some rule here gives a grace period: the only ones whose history is read. */
        final int graceable;

        private Cell(RuleSegment[] segments) {
            this.segments = segments;
            int required = 0;
            int graceable = 0;
            boolean enforced = false;
            for (RuleSegment segment : segments) {
                required |= segment.required;
                graceable |= segment.graceable;
                enforced |= segment.enforces;
            }
            this.providers = Requirements.signals(required);
            this.graceable = graceable;
            this.enforced = enforced;
        }

        /** The cell of the non-empty segments among {@code segments}, each once. */
        static Cell of(RuleSegment... segments) {
            return new Cell(Arrays.stream(segments).filter(segment -> segment != null && segment.rules.length > 0)
                    .distinct().toArray(RuleSegment[]::new));
        }

        /** The cell of the rules of both: they share the default path's segment, if any. */
        static Cell join(Cell row, Cell column) {
            RuleSegment[] both = Arrays.copyOf(row.segments, row.segments.length + column.segments.length);
            System.arraycopy(column.segments, 0, both, row.segments.length, column.segments.length);
            return of(both);
        }

        /** The rules that apply, in document order. */
        private List<CompiledRule> rules() {
            List<CompiledRule> rules = new ArrayList<>();
            for (RuleSegment segment : segments) {
                rules.addAll(Arrays.asList(segment.rules));
            }
            rules.sort(Comparator.comparingInt(rule -> rule.order));
            return rules;
        }

        /** Ids of the rules that apply, in document order. */
        List<String> matched() {
            return rules().stream().map(rule -> rule.id).toList();
        }
    }

    final long version;
    /** Compiled entries: rules filed under a key, summed over keys. */
    private final int size;
    /** Cells by action for requests whose role and resource no rule names. */
    private final Cell[] defaults;
    /** Cells by action for each named role, {@code null} where no rule names the role for that action. */
    private final Map<String, Cell[]> byRole;
    /** Cells by action for each named resource category, likewise. */
    private final Map<String, Cell[]> byResource;
    /** Cells by action for each (role, resource category) pair that one rule names together. */
    private final Map<String, Map<String, Cell[]>> byPair;
    /** Cells by action joined on first use for a role and a resource category named by different rules. */
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Cell[]>> joined;
    private final Decision allowed;

    /** The same compiled rules as the version numbered {@code version}. */
    CompiledPolicy at(long version) {
        return new CompiledPolicy(version, size, defaults, byRole, byResource, byPair, joined);
    }

    CompiledPolicy(long version, int size, Cell[] defaults, Map<String, Cell[]> byRole,
            Map<String, Cell[]> byResource, Map<String, Map<String, Cell[]>> byPair,
            ConcurrentHashMap<String, ConcurrentHashMap<String, Cell[]>> joined) {
        this.version = version;
        this.size = size;
        this.defaults = defaults;
        this.byRole = byRole;
        this.byResource = byResource;
        this.byPair = byPair;
        this.joined = joined;
        this.allowed = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(), version);
    }

    /** A version under which no rule applies to anything: every request is denied. */
    static CompiledPolicy denyingEverything(long version) {
        Cell[] none = new Cell[ACTIONS.length];
        Arrays.fill(none, new Cell(NO_SEGMENTS));
        return new CompiledPolicy(version, 0, none, Map.of(), Map.of(), Map.of(), new ConcurrentHashMap<>());
    }

    /**
     * Compiles a validated document, which {@link PolicyLimits} has bounded: the work done is one
     * step per compiled entry.
     */
    static CompiledPolicy compile(long version, PolicyDocument document) {
        RuleFiling filing = new RuleFiling();
        List<PolicyRule> rules = document.rules();
        for (int i = 0; i < rules.size(); i++) {
            filing.file(rules.get(i), new CompiledRule(rules.get(i), i));
        }
        return filing.compiled(version);
    }

    /** Compiled entries, as {@link PolicyLimits} counts them. */
    int size() {
        return size;
    }

    /** Cells prepared at compilation; joined ones come on first use ({@link #joinedCells}). */
    int cells() {
        int cells = 0;
        for (Cell[] byAction : byRole.values()) {
            cells += prepared(byAction);
        }
        for (Cell[] byAction : byResource.values()) {
            cells += prepared(byAction);
        }
        for (Map<String, Cell[]> pairs : byPair.values()) {
            for (Cell[] byAction : pairs.values()) {
                cells += prepared(byAction);
            }
        }
        return cells + defaults.length;
    }

    /** Cells joined so far for requests whose role and resource category different rules name. */
    int joinedCells() {
        int cells = 0;
        for (Map<String, Cell[]> byResource : joined.values()) {
            for (Cell[] byAction : byResource.values()) {
                cells += prepared(byAction);
            }
        }
        return cells;
    }

    private static int prepared(Cell[] byAction) {
        return (int) Arrays.stream(byAction).filter(cell -> cell != null).count();
    }

    /** The rules that apply to a request for {@code action} by a member of {@code role}. */
    Cell cell(String role, AccessAction action, String resourceCategory) {
        int a = action.ordinal();
        if (role != null && resourceCategory != null) {
            Map<String, Cell[]> pairs = byPair.get(role);
            Cell pair = pairs == null ? null : at(pairs.get(resourceCategory), a);
            if (pair != null) {
                return pair;
            }
        }
        Cell row = role == null ? null : at(byRole.get(role), a);
        Cell column = resourceCategory == null ? null : at(byResource.get(resourceCategory), a);
        if (row == null) {
            return column != null ? column : defaults[a];
        }
        if (column == null) {
            return row;
        }
        // Role and resource named by different rules only: joined on first use rather than prepared
        // for every such pair, which would grow with the product of the two. Cells are immutable
        // (final fields), so a race only joins the same cell twice.
        Cell[] cells = joined.computeIfAbsent(role, any -> new ConcurrentHashMap<>())
                .computeIfAbsent(resourceCategory, any -> new Cell[ACTIONS.length]);
        Cell cell = cells[a];
        if (cell == null) {
            cell = Cell.join(row, column);
            cells[a] = cell;
        }
        return cell;
    }

    private static Cell at(Cell[] byAction, int action) {
        return byAction == null ? null : byAction[action];
    }

    /**
     * The verdict on {@code signals} at {@code now}. Access needs at least one enforce rule that
     * applies, and every enforce rule that applies must be met; report-only rules only add warnings.
     */
    long evaluate(Cell cell, Signals signals, long now) {
        if (!cell.enforced) {
            return verdict(DecisionOutcome.DENY, NOT_PERMITTED, 0);
        }
        int deny = 0;
        int stepUp = 0;
        int warnings = 0;
        for (RuleSegment segment : cell.segments) {
            for (CompiledRule rule : segment.rules) {
                int missing = rule.required & ~signals.met;
                if (missing == 0) {
                    continue;
                }
                if (rule.reportOnly) {
                    warnings |= wouldDeny(rule, missing, signals, now);
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
        }
        if (deny != 0) {
            return verdict(DecisionOutcome.DENY, deny, warnings);
        }
        if (stepUp != 0) {
            return verdict(DecisionOutcome.STEP_UP, stepUp, warnings);
        }
        return verdict(DecisionOutcome.ALLOW, 0, warnings);
    }

    /** Ids of the report-only rules of {@code cell} that would have denied, in document order. */
    List<String> reportOnlyDenials(Cell cell, Signals signals, long now) {
        List<String> denials = new ArrayList<>();
        for (CompiledRule rule : cell.rules()) {
            if (rule.reportOnly && wouldDeny(rule, rule.required & ~signals.met, signals, now) != 0) {
                denials.add(rule.id);
            }
        }
        return List.copyOf(denials);
    }

    /** The categories a report-only rule missing {@code missing} would deny with; its own grace counts. */
    private static int wouldDeny(CompiledRule rule, int missing, Signals signals, long now) {
        if (missing == 0) {
            return 0;
        }
        int failed = missing & ~signals.unavailable;
        return ((missing & signals.unavailable) != 0 ? UNAVAILABLE : 0)
                | CATEGORY_OF[failed & ~graced(rule, failed, signals, now)];
    }

    /**
     * The failed requirements the device keeps within {@code rule}'s grace period: a lapse that began
     * less than the period ago, in a device seen meeting the requirement within the period before it
     * began (a pass long ago does not make a lapse new).
     */
    private static int graced(CompiledRule rule, int failed, Signals signals, long now) {
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
