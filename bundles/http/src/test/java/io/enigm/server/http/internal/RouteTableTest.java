package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.http.internal.Route.Operation;

/** Finding a request's route in the server's real route table: by method and first segment, as a full scan would. */
class RouteTableTest {

    /**
     * The server's table. Finding a route reads only methods and paths and never runs a handler, so
     * the services behind the handlers are left out.
     */
    private static final RouteTable TABLE = new ApiRoutes("1.0.0", null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null, null, null, null, null, null, null).table();

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    @Test
    void aRequestFindsItsRouteWithItsPathParameters() {
        RouteTable.Match match = TABLE.find("GET", "/environments/e1/members/m1");
        assertEquals("member.get", match.route().action());
        assertEquals(Map.of("env", "e1", "member", "m1"), match.parameters());
        assertEquals("environment.list", TABLE.find("GET", "/environments").route().action());
        assertEquals("environment.create", TABLE.find("POST", "/environments").route().action());
    }

    @Test
    void aPathNoRouteHasIs404() {
        for (String path : new String[] {null, "", "/", "/nothing", "/environments/e1/nothing", "/environments//members",
                "/environments/e1/members/m1/extra", "/health/"}) {
            ApiProblem problem = assertThrows(ApiProblem.class, () -> TABLE.find("GET", path), String.valueOf(path));
            assertEquals(404, problem.status(), path);
            assertEquals(Map.of(), problem.headers());
        }
    }

    @Test
    void aPathWithRoutesForOtherMethodsIs405NamingThemInAllow() {
        ApiProblem problem = assertThrows(ApiProblem.class, () -> TABLE.find("PUT", "/environments/e1/members/m1"));
        assertEquals(405, problem.status());
        assertEquals("urn:enigm:problem:method-not-allowed", problem.type());
        assertEquals(Map.of("Allow", "DELETE, GET, PATCH"), problem.headers());
        assertEquals("PUT is not allowed here", problem.detail());
    }

    @Test
    void theLookupAgreesWithAFullScanOfTheTableForEveryRouteAndMethod() {
        List<String> paths = new ArrayList<>();
        for (Route route : TABLE.routes()) {
            String path = route.template().replaceAll("\\{[^}]+}", "x");
            paths.addAll(List.of(path, path + "/extra", path + "/", path.replaceAll("/x(/|$)", "/$1"),
                    path.substring(0, path.lastIndexOf('/')) + "/other"));
        }
        int compared = 0;
        for (String path : paths) {
            for (String method : METHODS) {
                assertEquals(scan(method, path), outcome(method, path), method + " " + path);
                compared++;
            }
        }
        assertEquals(TABLE.routes().size() * 5 * METHODS.size(), compared);
    }

    @Test
    void routesThatCouldMatchOnePathOrStartWithAParameterAreRefused() {
        Route members = route("GET", "/environments/{env}/members");
        assertThrows(IllegalArgumentException.class,
                () -> new RouteTable(List.of(members, route("GET", "/environments/{env}/{what}/x"),
                        route("GET", "/environments/{env}/members/{id}"),
                        route("GET", "/environments/{env}/{what}"))));
        assertThrows(IllegalArgumentException.class, () -> new RouteTable(List.of(
                route("GET", "/environments/{env}/x/{a}"), route("GET", "/environments/{env}/{b}/y"))));
        assertThrows(IllegalArgumentException.class, () -> new RouteTable(List.of(route("GET", "/{env}"))));
        assertEquals(2, new RouteTable(List.of(members, route("POST", "/environments/{env}/{what}"))).routes().size(),
                "another method is another route");
    }

    @Test
    void aNamedSegmentWinsOverAParameterWhereBothMatch() {
        RouteTable table = new RouteTable(List.of(route("GET", "/environments/{env}/{what}"),
                route("GET", "/environments/{env}/members")));
        assertEquals("/environments/{env}/members", table.find("GET", "/environments/e1/members").route().template());
        assertEquals("/environments/{env}/{what}", table.find("GET", "/environments/e1/devices").route().template());
        assertEquals("content.stats", TABLE.find("GET", "/environments/e1/content/stats").route().action());
        assertEquals("content.read", TABLE.find("GET", "/environments/e1/content/abc").route().action());
        assertEquals("content.deletion.get", TABLE.find("GET", "/environments/e1/content/deletions/j1").route()
                .action());
        assertEquals("content.deletion.start", TABLE.find("POST", "/environments/e1/content/deletions").route()
                .action());
    }

    private static Route route(String method, String template) {
        return new Route(method, template, "test", Access.environment(AdminRole.OWNER),
                new Operation("test", null, 200, null, List.of()), call -> Reply.noContent());
    }

    /** What the table answers: the route's action and parameters, or the problem's status and headers. */
    private static String outcome(String method, String path) {
        try {
            RouteTable.Match match = TABLE.find(method, path);
            return match.route().action() + " " + match.parameters();
        } catch (ApiProblem problem) {
            return problem.status() + " " + problem.headers();
        }
    }

    /** Every route tried in turn, the answer the server gave before its routes were indexed. */
    private static String scan(String method, String path) {
        List<String> segments = List.of(path.substring(1).split("/", -1));
        String found = null;
        long foundNamed = -1;
        TreeSet<String> allowed = new TreeSet<>();
        for (Route route : TABLE.routes()) {
            Map<String, String> parameters = route.match(segments);
            if (parameters != null) {
                allowed.add(route.method());
                if (route.method().equals(method) && (found == null || named(route) > foundNamed)) {
                    found = route.action() + " " + parameters;
                    foundNamed = named(route);
                }
            }
        }
        if (found != null) {
            return found;
        }
        return allowed.isEmpty() ? "404 {}" : "405 {Allow=" + String.join(", ", allowed) + "}";
    }

    /** The route of several matching ones that names the most segments answers. */
    private static long named(Route route) {
        return route.segments().stream().filter(segment -> !segment.startsWith("{")).count();
    }
}
