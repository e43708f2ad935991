package io.enigm.server.http.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The routes, found by a request's method and first path segment: a request is matched against the
 * few routes that share both, never against the whole table. Where a named segment and a parameter
 * could both match ({@code /content/stats} and {@code /content/{id}}), the named one wins: of two
 * routes that could match one path, one must name every segment the other names. A path no route
 * has is 404; a path with routes for other methods only is 405, with {@code Allow} naming them.
 */
final class RouteTable {

    /** The route a request matched and the path parameters it gave. */
    record Match(Route route, Map<String, String> parameters) {
    }

    private final List<Route> routes;
    /** By first path segment, then by method. */
    private final Map<String, Map<String, List<Route>>> index;

    /**
     * @throws IllegalArgumentException if a path starts with a parameter, or two routes of one method
     *                                  could match the same path and neither names more of it (which
     *                                  one answers would be luck)
     */
    RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        Map<String, Map<String, List<Route>>> building = new HashMap<>();
        for (Route route : this.routes) {
            String first = route.segments().get(0);
            if (first.startsWith("{")) {
                throw new IllegalArgumentException(route.template() + " starts with a parameter");
            }
            List<Route> siblings = building.computeIfAbsent(first, segment -> new HashMap<>())
                    .computeIfAbsent(route.method(), method -> new ArrayList<>());
            for (Route sibling : siblings) {
                if (overlap(sibling, route)) {
                    throw new IllegalArgumentException(route.method() + " " + route.template() + " and "
                            + sibling.template() + " could match the same path");
                }
            }
            siblings.add(route);
        }
        building.replaceAll((first, byMethod) -> {
            // the route that names more segments is tried first
            byMethod.replaceAll((method, list) -> list.stream()
                    .sorted(java.util.Comparator.comparingLong(RouteTable::named).reversed()).toList());
            return Map.copyOf(byMethod);
        });
        this.index = Map.copyOf(building);
    }

    List<Route> routes() {
        return routes;
    }

    /**
     * The route for {@code method} and {@code pathInfo} (the path below the API's root).
     *
     * @throws ApiProblem 404 or 405
     */
    Match find(String method, String pathInfo) {
        List<String> path = segments(pathInfo);
        Map<String, List<Route>> byMethod = path.isEmpty() ? Map.of() : index.getOrDefault(path.get(0), Map.of());
        Match match = first(byMethod.getOrDefault(method, List.of()), path);
        if (match != null) {
            return match;
        }
        TreeSet<String> allowed = new TreeSet<>();
        byMethod.forEach((other, candidates) -> {
            if (first(candidates, path) != null) {
                allowed.add(other);
            }
        });
        if (allowed.isEmpty()) {
            throw ApiProblem.notFound("no such resource");
        }
        throw new ApiProblem(405, "method-not-allowed", "Method not allowed", method + " is not allowed here",
                Map.of("Allow", String.join(", ", allowed)));
    }

    private static Match first(List<Route> candidates, List<String> path) {
        for (Route candidate : candidates) {
            Map<String, String> parameters = candidate.match(path);
            if (parameters != null) {
                return new Match(candidate, parameters);
            }
        }
        return null;
    }

    /** Whether some path matches both routes while neither names every segment the other names. */
    private static boolean overlap(Route a, Route b) {
        if (a.segments().size() != b.segments().size()) {
            return false;
        }
        boolean aNamesMore = false;
        boolean bNamesMore = false;
        for (int i = 0; i < a.segments().size(); i++) {
            String x = a.segments().get(i);
            String y = b.segments().get(i);
            boolean xNamed = !x.startsWith("{");
            boolean yNamed = !y.startsWith("{");
            if (xNamed && yNamed && !x.equals(y)) {
                return false;
            }
            aNamesMore |= xNamed && !yNamed;
            bNamesMore |= yNamed && !xNamed;
        }
        return aNamesMore == bNamesMore;
    }

    private static long named(Route route) {
        return route.segments().stream().filter(segment -> !segment.startsWith("{")).count();
    }

    private static List<String> segments(String pathInfo) {
        if (pathInfo == null || pathInfo.isEmpty() || "/".equals(pathInfo)) {
            return List.of();
        }
        return Arrays.asList(pathInfo.substring(1).split("/", -1));
    }
}
