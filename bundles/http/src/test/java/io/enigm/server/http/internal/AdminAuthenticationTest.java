package io.enigm.server.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.http.internal.Route.Operation;

/** The admin bearer token against real tokens; refusals audited by the real bounded recorder. */
class AdminAuthenticationTest {

    @TempDir
    Path directory;

    private RealComponents components;
    private UnauthenticatedRefusals refusals;
    private AdminAuthentication authentication;
    private String environment;
    private RouteTable.Match match;

    @BeforeEach
    void open() {
        components = new RealComponents(directory);
        refusals = components.unauthenticatedRefusals(components.environments);
        authentication = new AdminAuthentication(components.tokens, refusals);
        environment = components.environments.create(new NewEnvironment("probed", null)).id();
        match = new RouteTable(List.of(new Route("GET", "/environments/{env}/members", "member.list",
                Access.environment(AdminRole.ADMINISTRATOR), new Operation("List", null, 200, null, List.of()),
                call -> Reply.noContent()))).find("GET", "/environments/" + environment + "/members");
    }

    @AfterEach
    void stop() {
        refusals.stop();
    }

    @Test
    void aValidBearerTokenIsItsAdministratorWhateverTheSchemeCase() {
        MintedToken minted = components.tokens.mint(AdminRole.ADMINISTRATOR, environment, null, "test");
        assertEquals(minted.principal(), authentication.authenticate("Bearer " + minted.token(), match));
        assertEquals(minted.principal(), authentication.authenticate("bearer  " + minted.token() + " ", match));
        assertEquals(List.of(), components.records());
    }

    @Test
    void aMissingGarbledOrUnknownTokenIs401AndEachRefusalIsRecordedInBoundedForm() {
        MintedToken minted = components.tokens.mint(AdminRole.ADMINISTRATOR, environment, null, "test");
        String[] refused = {null, "", "Bearer", "Bearer ", "Basic " + minted.token(), minted.token(),
            "Bearer " + minted.token() + "x", "Bearer not-a-token"};
        for (String authorization : refused) {
            ApiProblem problem = assertThrows(ApiProblem.class,
                    () -> authentication.authenticate(authorization, match), String.valueOf(authorization));
            assertEquals(401, problem.status());
            assertEquals(Map.of("WWW-Authenticate", "Bearer realm=\"enigm\""), problem.headers());
        }
        AuditEntry first = new AuditEntry(null, null, environment, "member.list", "1", AuditOutcome.DENIED,
                UnauthenticatedRefusals.CATEGORY);
        assertEquals(List.of(first), components.records(), "the first at once, the rest counted");
        refusals.flush();
        assertEquals(List.of(first, new AuditEntry(null, null, environment, "member.list",
                Integer.toString(refused.length - 1), AuditOutcome.DENIED, UnauthenticatedRefusals.CATEGORY)),
                components.records());
    }
}
