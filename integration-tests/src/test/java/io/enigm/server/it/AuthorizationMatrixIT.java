package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.NewEnvironment;

/**
 * Every endpoint × every role × own environment / other environment / no token, from one table
 * written from API.md. The server's routes must match the table exactly: a new endpoint without a
 * row fails here, and so does a route whose declared roles drift from the table.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AuthorizationMatrixIT extends ApiFrameworkTest {


    /** Who may call what: scope and roles, as API.md says. */
    private record Rule(String scope, Set<AdminRole> roles) {
    }

    private static final Set<AdminRole> ALL = Set.of(AdminRole.values());
    private static final Set<AdminRole> ENVIRONMENT_READERS = ALL;
    private static final Set<AdminRole> ADMINISTRATORS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR);
    private static final Set<AdminRole> OWNER = Set.of(AdminRole.OWNER);
    private static final Set<AdminRole> REVIEWERS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.SECURITY_REVIEWER);
    private static final Set<AdminRole> MEMBERSHIP_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.MEMBERSHIP_ADMIN);
    private static final Set<AdminRole> DEVICE_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.DEVICE_ADMIN);
    private static final Set<AdminRole> POLICY_ADMINS = Set.of(AdminRole.OWNER, AdminRole.ADMINISTRATOR,
            AdminRole.POLICY_ADMIN);

    private static final Map<String, Rule> TABLE = new TreeMap<>(Map.ofEntries(
            Map.entry("GET /health", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /providers", new Rule("ANY_SCOPE", ALL)),
            Map.entry("GET /environments/{env}/devices/{device}/attestations", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/attestations/{type}",
                    new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/attestations/{type}/callback",
                    new Rule("PUBLIC", Set.of())),
            Map.entry("GET /openapi.json", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /admin-tokens", new Rule("ANY_SCOPE", ADMINISTRATORS)),
            Map.entry("GET /admin-tokens", new Rule("ANY_SCOPE", ADMINISTRATORS)),
            Map.entry("DELETE /admin-tokens/{token}", new Rule("ANY_SCOPE", ALL)),
            Map.entry("GET /audit", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /audit/verify", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /audit/export", new Rule("INSTALLATION", OWNER)),
            Map.entry("POST /environments", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /environments", new Rule("ANY_SCOPE", ALL)),
            Map.entry("GET /environments/{env}", new Rule("ENVIRONMENT", ENVIRONMENT_READERS)),
            Map.entry("PATCH /environments/{env}", new Rule("ENVIRONMENT", ADMINISTRATORS)),
            Map.entry("POST /environments/{env}/lifecycle", new Rule("ENVIRONMENT", ADMINISTRATORS)),
            Map.entry("PUT /environments/{env}/legal-hold", new Rule("ENVIRONMENT", OWNER)),
            Map.entry("DELETE /environments/{env}/legal-hold", new Rule("ENVIRONMENT", OWNER)),
            Map.entry("PUT /pin", new Rule("INSTALLATION", OWNER)),
            Map.entry("GET /environments/{env}/audit", new Rule("ENVIRONMENT", REVIEWERS)),
            Map.entry("GET /environments/{env}/security-events", new Rule("ENVIRONMENT", REVIEWERS)),
            Map.entry("POST /join-requests", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /join-requests/{request}", new Rule("PUBLIC", Set.of())),
            Map.entry("DELETE /join-requests/{request}", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/join-requests", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/join-requests/{request}/approve",
                    new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/join-requests/{request}/reject",
                    new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/invites", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("GET /environments/{env}/invites", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("DELETE /environments/{env}/invites/{invite}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("GET /environments/{env}/members", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("GET /environments/{env}/members/{member}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("PATCH /environments/{env}/members/{member}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("DELETE /environments/{env}/members/{member}", new Rule("ENVIRONMENT", MEMBERSHIP_ADMINS)),
            Map.entry("POST /environments/{env}/sessions/challenge", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /environments/{env}/sessions", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /environments/{env}/sessions/{session}/renew", new Rule("PUBLIC", Set.of())),
            Map.entry("POST /environments/{env}/devices", new Rule("PUBLIC", Set.of())),
            Map.entry("GET /environments/{env}/devices", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("GET /environments/{env}/devices/{device}", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/trust", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("POST /environments/{env}/devices/{device}/replace", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("DELETE /environments/{env}/devices/{device}", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("GET /environments/{env}/policy", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("PUT /environments/{env}/policy", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("GET /environments/{env}/policy/versions", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("POST /environments/{env}/policy/simulate", new Rule("ENVIRONMENT", POLICY_ADMINS)),
            Map.entry("GET /environments/{env}/sessions", new Rule("ENVIRONMENT", DEVICE_ADMINS)),
            Map.entry("DELETE /environments/{env}/sessions/{session}", new Rule("ENVIRONMENT", DEVICE_ADMINS))));

    @Inject
    private AdminTokens tokens;
    @Inject
    private EnvironmentService environments;


    @Test
    public void theServedRoutesAreExactlyTheTableAndDeclareItsRoles() {
        Map<String, Rule> served = new TreeMap<>();
        JsonNode paths = api.get("/api/v1/openapi.json", null).json().path("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> operation = ops.next();
                Set<AdminRole> roles = new TreeSet<>();
                operation.getValue().path("x-enigm-roles").forEach(r -> roles.add(AdminRole.valueOf(r.asText())));
                served.put(operation.getKey().toUpperCase() + " " + path.getKey(), new Rule(
                        operation.getValue().path("x-enigm-scope").asText("PUBLIC"), Set.copyOf(roles)));
            }
        }
        assertEquals("endpoints without a row, or rows without an endpoint", TABLE.keySet(), served.keySet());
        TABLE.forEach((endpoint, rule) -> assertEquals(endpoint, rule, served.get(endpoint)));
    }

    @Test
    public void everyEndpointRoleAndScopeGetsTheExpectedAnswer() {
        String own = environments.create(new NewEnvironment("Own", null)).id();
        String other = environments.create(new NewEnvironment("Other", null)).id();
        Map<AdminRole, String> tokenOf = new EnumMap<>(AdminRole.class);
        for (AdminRole role : AdminRole.values()) {
            tokenOf.put(role, tokens.mint(role, role.isInstallationWide() ? null : own, Duration.ofHours(1),
                    "matrix " + role).token());
        }
        List<String> failures = new ArrayList<>();
        TABLE.forEach((endpoint, rule) -> {
            if (rule.scope().equals("PUBLIC")) {
                return;
            }
            String method = endpoint.substring(0, endpoint.indexOf(' '));
            String template = endpoint.substring(endpoint.indexOf(' ') + 1);
            check(failures, endpoint + " without a token", call(method, template, own, null).status(), 401);
            for (AdminRole role : AdminRole.values()) {
                boolean allowed = rule.roles().contains(role)
                        && (!rule.scope().equals("INSTALLATION") || role.isInstallationWide());
                int ownStatus = call(method, template, own, tokenOf.get(role)).status();
                if (allowed) {
                    checkNot(failures, endpoint + " as " + role + " in its environment", ownStatus, 401, 403);
                } else {
                    check(failures, endpoint + " as " + role + " in its environment", ownStatus, 403);
                }
                if (template.contains("{env}")) {
                    int otherStatus = call(method, template, other, tokenOf.get(role)).status();
                    if (role.isInstallationWide()) {
                        checkNot(failures, endpoint + " as OWNER in another environment", otherStatus, 401, 403);
                    } else {
                        check(failures, endpoint + " as " + role + " in another environment", otherStatus, 404);
                    }
                }
            }
        });
        assertTrue(String.join("\n", failures), failures.isEmpty());
    }

    /** Path parameters other than the environment name things that do not exist, so nothing changes. */
    private Api.Answer call(String method, String template, String environment, String token) {
        String path = "/api/v1" + template.replace("{env}", environment).replaceAll("\\{[a-z]+\\}", "no-such-id");
        byte[] body = method.equals("GET") || method.equals("DELETE") ? new byte[0] : "{}".getBytes();
        return api.send(method, path, token, body.length == 0 ? null : "application/json", body);
    }

    private static void check(List<String> failures, String what, int status, int expected) {
        if (status != expected) {
            failures.add(what + ": " + status + ", expected " + expected);
        }
    }

    private static void checkNot(List<String> failures, String what, int status, int... refused) {
        for (int r : refused) {
            if (status == r) {
                failures.add(what + ": " + status + ", expected to be let through");
            }
        }
        assertNotEquals(what, 500, status);
    }
}
