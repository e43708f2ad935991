package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminToken;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;

class AdminTokenIssuingTest {

    @TempDir
    Path directory;

    private HashedAdminTokens tokens;
    private AdminPrincipal owner;
    private String environment;
    private String otherEnvironment;

    @BeforeEach
    void open() {
        io.enigm.server.store.DataHome home = TestDatabases.home(directory);
        Database database = TestDatabases.open(home);
        PersistentEnvironments environments = Fixtures.environments(home, database, Clock.systemUTC());
        tokens = new HashedAdminTokens(database, environments, Clock.systemUTC(), Duration.ofDays(30));
        environment = environments.create(new NewEnvironment("e", null)).id();
        otherEnvironment = environments.create(new NewEnvironment("o", null)).id();
        owner = tokens.mint(AdminRole.OWNER, null, null, "owner").principal();
    }

    @Test
    void administratorsGrantEqualOrLowerRolesInTheirOwnEnvironmentOnly() {
        AdminPrincipal administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a")
                .principal();
        MintedToken deviceAdmin = tokens.issue(administrator, AdminRole.DEVICE_ADMIN, environment, Duration.ofHours(1), "d");
        assertEquals(AdminRole.DEVICE_ADMIN, tokens.authenticate(deviceAdmin.token()).orElseThrow().role());
        tokens.issue(administrator, AdminRole.ADMINISTRATOR, environment, Duration.ofHours(1), "peer");

        assertThrows(ForbiddenException.class,
                () -> tokens.issue(administrator, AdminRole.OWNER, null, Duration.ofHours(1), "x"));
        assertThrows(NotFoundException.class,
                () -> tokens.issue(administrator, AdminRole.DEVICE_ADMIN, otherEnvironment, Duration.ofHours(1), "x"));
        assertThrows(ForbiddenException.class,
                () -> tokens.issue(deviceAdmin.principal(), AdminRole.DEVICE_ADMIN, environment, Duration.ofHours(1), "x"));
    }

    @Test
    void issuedTokensExpireAndNeverOutliveTheirIssuer() {
        assertThrows(InvalidRequestException.class,
                () -> tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, null, "x"));
        assertThrows(InvalidRequestException.class,
                () -> tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(31), "x"));
        AdminPrincipal shortLived = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofHours(1), "s")
                .principal();
        assertThrows(InvalidRequestException.class,
                () -> tokens.issue(shortLived, AdminRole.DEVICE_ADMIN, environment, Duration.ofHours(2), "x"));
    }

    @Test
    void listsShowOnlyTheViewersScopeAndNeverTheToken() {
        MintedToken inEnvironment = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a");
        tokens.issue(owner, AdminRole.ADMINISTRATOR, otherEnvironment, Duration.ofDays(1), "b");
        List<AdminToken> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<AdminToken> page = tokens.list(owner, new PageRequest(cursor, 1));
            seen.addAll(page.items());
            cursor = page.next();
        } while (cursor != null);
        assertEquals(3, seen.size());
        assertTrue(seen.stream().noneMatch(t -> t.toString().contains(inEnvironment.token())));
        List<AdminToken> scoped = tokens.list(inEnvironment.principal(), PageRequest.first(50)).items();
        assertEquals(List.of(inEnvironment.id()), scoped.stream().map(AdminToken::id).toList());
        assertEquals(owner.tokenId(), scoped.get(0).issuedBy());
        assertNull(scoped.get(0).revokedAt());
    }

    @Test
    void issuerOrOwnerRevokesAndTheTokenStopsWorkingAtOnce() {
        MintedToken administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a");
        MintedToken mine = tokens.issue(administrator.principal(), AdminRole.MEMBERSHIP_ADMIN, environment,
                Duration.ofHours(1), "m");
        MintedToken peer = tokens.issue(owner, AdminRole.POLICY_ADMIN, environment, Duration.ofHours(1), "p");
        MintedToken elsewhere = tokens.issue(owner, AdminRole.POLICY_ADMIN, otherEnvironment, Duration.ofHours(1), "x");

        assertTrue(tokens.authenticate(mine.token()).isPresent());
        tokens.revoke(administrator.principal(), mine.id());
        assertTrue(tokens.authenticate(mine.token()).isEmpty());
        assertThrows(ConflictException.class, () -> tokens.revoke(owner, mine.id()));
        assertThrows(ForbiddenException.class, () -> tokens.revoke(administrator.principal(), peer.id()));
        assertThrows(NotFoundException.class, () -> tokens.revoke(administrator.principal(), elsewhere.id()));
        assertThrows(NotFoundException.class, () -> tokens.revoke(owner, "no-such-token"));
        assertTrue(tokens.authenticate(peer.token()).isPresent());
        tokens.revoke(owner, peer.id());
        assertTrue(tokens.authenticate(peer.token()).isEmpty());
    }
}
