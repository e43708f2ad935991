package io.enigm.server.policy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.internal.CompiledPolicy.Cell;

/**
 * Compiles a document: files each rule under every (role, resource category) key it names, for
 * each of its actions — one step per compiled entry — then prepares the cells requests read
 * (see {@link CompiledPolicy}).
 */
final class RuleFiling {

    private static final AccessAction[] ACTIONS = AccessAction.values();
    /** Stands for {@code "*"}: no role or resource category name is empty. */
    private static final String ANY = "";
    /** role (or ANY) → resource (or ANY) → rules by action ordinal. */
    private final Map<String, Map<String, List<CompiledRule>[]>> keys = new HashMap<>();
    private int size;

    void file(PolicyRule source, CompiledRule rule) {
        for (String role : source.roles().isEmpty() ? Set.of(ANY) : source.roles()) {
            for (String resource : source.resources().isEmpty() ? Set.of(ANY) : source.resources()) {
                List<CompiledRule>[] byAction = keys.computeIfAbsent(role, any -> new HashMap<>())
                        .computeIfAbsent(resource, any -> newByAction());
                for (AccessAction action : source.actions()) {
                    byAction[action.ordinal()].add(rule);
                    size++;
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<CompiledRule>[] newByAction() {
        List<CompiledRule>[] byAction = new List[ACTIONS.length];
        for (int a = 0; a < byAction.length; a++) {
            byAction[a] = new ArrayList<>();
        }
        return byAction;
    }

    private RuleSegment[] segments(String role, String resource) {
        List<CompiledRule>[] byAction = keys.getOrDefault(role, Map.of()).get(resource);
        RuleSegment[] segments = new RuleSegment[ACTIONS.length];
        for (int a = 0; a < segments.length; a++) {
            segments[a] = byAction == null || byAction[a].isEmpty() ? null : new RuleSegment(byAction[a]);
        }
        return segments;
    }

    CompiledPolicy compiled(long version) {
        RuleSegment[] anyAny = segments(ANY, ANY);
        Cell[] defaults = new Cell[ACTIONS.length];
        for (int a = 0; a < defaults.length; a++) {
            defaults[a] = Cell.of(anyAny[a]);
        }
        Map<String, RuleSegment[]> roleSegments = new HashMap<>();
        Map<String, RuleSegment[]> resourceSegments = new HashMap<>();
        for (String role : keys.keySet()) {
            roleSegments.put(role, segments(role, ANY));
            for (String resource : keys.get(role).keySet()) {
                resourceSegments.computeIfAbsent(resource, any -> segments(ANY, resource));
            }
        }
        Map<String, Cell[]> byRole = new HashMap<>();
        Map<String, Cell[]> byResource = new HashMap<>();
        Map<String, Map<String, Cell[]>> byPair = new HashMap<>();
        for (Map.Entry<String, Map<String, List<CompiledRule>[]>> role : keys.entrySet()) {
            if (role.getKey().equals(ANY)) {
                continue;
            }
            byRole.put(role.getKey(), cells(anyAny, roleSegments.get(role.getKey())));
            Map<String, Cell[]> pairs = new HashMap<>();
            for (String resource : role.getValue().keySet()) {
                if (!resource.equals(ANY)) {
                    pairs.put(resource, cells(anyAny, roleSegments.get(role.getKey()),
                            resourceSegments.get(resource), segments(role.getKey(), resource)));
                }
            }
            if (!pairs.isEmpty()) {
                byPair.put(role.getKey(), Map.copyOf(pairs));
            }
        }
        for (Map.Entry<String, RuleSegment[]> resource : resourceSegments.entrySet()) {
            if (!resource.getKey().equals(ANY)) {
                byResource.put(resource.getKey(), cells(anyAny, resource.getValue()));
            }
        }
        return new CompiledPolicy(version, size, defaults, Map.copyOf(byRole), Map.copyOf(byResource),
                Map.copyOf(byPair), new ConcurrentHashMap<>());
    }

    /**
     * A cell per action joining {@code general} with the more specific segments, or {@code null}
     * where none of those has a rule for the action: the request then reads the general cell.
     */
    private static Cell[] cells(RuleSegment[] general, RuleSegment[]... specific) {
        Cell[] cells = new Cell[ACTIONS.length];
        for (int a = 0; a < cells.length; a++) {
            RuleSegment[] parts = new RuleSegment[specific.length + 1];
            parts[0] = general[a];
            boolean specificRule = false;
            for (int i = 0; i < specific.length; i++) {
                parts[i + 1] = specific[i][a];
                specificRule |= specific[i][a] != null;
            }
            cells[a] = specificRule ? Cell.of(parts) : null;
        }
        return cells;
    }
}
