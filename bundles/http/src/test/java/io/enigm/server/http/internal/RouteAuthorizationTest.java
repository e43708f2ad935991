package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.http.internal.Route.Operation;

/** Authorization from a route's declared access, with its denials in a real audit log. */
class RouteAuthorizationTest {

    @TempDir
    Path directory;

    private RealComponents components;
    private RouteAuthorization authorization;
    private String here;
    private String elsewhere;

    @BeforeEach
    void open() {
        components = new RealComponents(directory);
        authorization = new RouteAuthorization(new RequestAudit(components.audit), components.work,
                components.securityEvents);
        here = components.environments.create(new NewEnvironment("here", null)).id();
        elsewhere = components.environments.create(new NewEnvironment("elsewhere", null)).id();
    }

    private static RouteTable table(Access access) {
        return new RouteTable(List.of(new Route("GET", "/environments/{env}/members", "member.list", access,
                new Operation("List", null, 200, null, List.of()), call -> Reply.noContent()),
                new Route("POST", "/environments", "environment.create", Access.installation(AdminRole.OWNER),
                        new Operation("Create", null, 201, null, List.of()), call -> Reply.noContent())));
    }

    private AdminPrincipal principal(AdminRole role, String environmentId) {
        return components.tokens.mint(role, environmentId, null, "test").principal();
    }

    @Test
    void aTokenOfAnotherEnvironmentFindsNothingThereAndTheDenialIsAudited() {
        AdminPrincipal admin = principal(AdminRole.ADMINISTRATOR, here);
        RouteTable.Match match = table(Access.environment(AdminRole.ADMINISTRATOR))
                .find("GET", "/environments/" + elsewhere + "/members");
        ApiProblem problem = assertThrows(ApiProblem.class, () -> authorization.authorize(match, admin));
        assertEquals(404, problem.status());
        assertEquals("environment not found", problem.detail());
        assertEquals(List.of(new AuditEntry(admin.tokenId(), "ADMINISTRATOR", here, "member.list", elsewhere,
                AuditOutcome.DENIED, "SCOPE")), components.records());
        assertEquals(List.of("TOKEN_OUTSIDE_SCOPE " + admin.tokenId()), events(here),
                "a security event of the token's own environment, naming the token by its id");
        assertEquals(List.of(), events(elsewhere), "the environment it tried learns nothing");
    }

    private List<String> events(String environmentId) {
        return components.securityEventFeed.list(environmentId, new PageRequest(null, 50)).items().stream()
                .map(event -> event.category() + " " + event.subjectHandle()).toList();
    }

    @Test
    void anInstallationWideReviewerReadsEveryEnvironmentAndTheInstallationRoutesThatAdmitIt() {
        AdminPrincipal reviewer = principal(AdminRole.SECURITY_REVIEWER, null);
        RouteTable table = reviewerTable();
        authorization.authorize(table.find("GET", "/security-events"), reviewer);
        authorization.authorize(table.find("GET", "/environments/" + here + "/audit"), reviewer);
        authorization.authorize(table.find("GET", "/environments/" + elsewhere + "/audit"), reviewer);
        ApiProblem problem = assertThrows(ApiProblem.class, () -> authorization.authorize(
                table.find("GET", "/environments/" + here + "/members"), reviewer));
        assertEquals(403, problem.status(), "its role still decides what it may do");
    }

    @Test
    void anEnvironmentReviewerReadsNeitherTheInstallationFeedNorAnotherEnvironment() {
        AdminPrincipal reviewer = principal(AdminRole.SECURITY_REVIEWER, here);
        RouteTable table = reviewerTable();
        authorization.authorize(table.find("GET", "/environments/" + here + "/audit"), reviewer);
        assertEquals(403, assertThrows(ApiProblem.class, () -> authorization.authorize(
                table.find("GET", "/security-events"), reviewer)).status());
        assertEquals(404, assertThrows(ApiProblem.class, () -> authorization.authorize(
                table.find("GET", "/environments/" + elsewhere + "/audit"), reviewer)).status());
        assertEquals(List.of("TOKEN_OUTSIDE_SCOPE " + reviewer.tokenId(), "TOKEN_OUTSIDE_SCOPE "
                + reviewer.tokenId()), events(here));
    }

    private static RouteTable reviewerTable() {
        return new RouteTable(List.of(
                new Route("GET", "/security-events", "security-events.list",
                        Access.installation(AdminRole.OWNER, AdminRole.SECURITY_REVIEWER),
                        new Operation("Feed", null, 200, null, List.of()), call -> Reply.noContent()),
                new Route("GET", "/environments/{env}/audit", "environment.audit.list",
                        Access.environment(AdminRole.OWNER, AdminRole.SECURITY_REVIEWER),
                        new Operation("Audit", null, 200, null, List.of()), call -> Reply.noContent()),
                new Route("GET", "/environments/{env}/members", "member.list",
                        Access.environment(AdminRole.ADMINISTRATOR),
                        new Operation("List", null, 200, null, List.of()), call -> Reply.noContent())));
    }

    @Test
    void anInstallationRouteRefusesAnEnvironmentToken() {
        AdminPrincipal admin = principal(AdminRole.ADMINISTRATOR, here);
        RouteTable.Match match = table(Access.environment(AdminRole.ADMINISTRATOR)).find("POST", "/environments");
        ApiProblem problem = assertThrows(ApiProblem.class, () -> authorization.authorize(match, admin));
        assertEquals(403, problem.status());
        assertEquals(List.of(new AuditEntry(admin.tokenId(), "ADMINISTRATOR", here, "environment.create", null,
                AuditOutcome.DENIED, "SCOPE")), components.records());
    }

    @Test
    void aRoleTheRouteDoesNotNameIsRefused() {
        AdminPrincipal reviewer = principal(AdminRole.SECURITY_REVIEWER, here);
        RouteTable.Match match = table(Access.environment(AdminRole.ADMINISTRATOR, AdminRole.MEMBERSHIP_ADMIN))
                .find("GET", "/environments/" + here + "/members");
        ApiProblem problem = assertThrows(ApiProblem.class, () -> authorization.authorize(match, reviewer));
        assertEquals(403, problem.status());
        assertEquals("the role SECURITY_REVIEWER may not do this", problem.detail());
        assertEquals(List.of(new AuditEntry(reviewer.tokenId(), "SECURITY_REVIEWER", here, "member.list", here,
                AuditOutcome.DENIED, "ROLE")), components.records());
    }

    @Test
    void theOwnerReachesEveryEnvironmentAndAnAdmittedRoleItsOwnWithoutARecord() {
        RouteTable table = table(Access.environment(AdminRole.OWNER, AdminRole.ADMINISTRATOR));
        authorization.authorize(table.find("GET", "/environments/" + elsewhere + "/members"),
                principal(AdminRole.OWNER, null));
        authorization.authorize(table.find("GET", "/environments/" + here + "/members"),
                principal(AdminRole.ADMINISTRATOR, here));
        authorization.authorize(table.find("POST", "/environments"), principal(AdminRole.OWNER, null));
        assertEquals(List.of(), components.records(), "an allowed request is audited when it runs, not here");
    }
}
