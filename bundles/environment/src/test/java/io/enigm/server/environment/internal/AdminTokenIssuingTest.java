package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

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
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

class AdminTokenIssuingTest {

    private static final String PIN = "864200";

    @TempDir
    Path directory;

    private HashedAdminTokens tokens;
    private TestClock clock;
    private AdminPrincipal owner;
    private String environment;
    private String otherEnvironment;

    @BeforeEach
    void open() {
        io.enigm.server.home.DataHome home = TestDatabases.home(directory);
        Database database = TestDatabases.open(home);
        clock = new TestClock();
        PersistentEnvironments environments = Fixtures.environments(home, database, clock);
        HashedCriticalOperationPin pin = Fixtures.pin(home, database, clock);
        pin.set(PIN, null);
        tokens = new HashedAdminTokens(database, environments, pin, clock, Duration.ofDays(30));
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
    void onlyTheOwnerGrantsAnInstallationWideSecurityReviewer() {
        MintedToken reviewer = tokens.issue(owner, AdminRole.SECURITY_REVIEWER, null, Duration.ofHours(1), "r");
        AdminPrincipal authenticated = tokens.authenticate(reviewer.token()).orElseThrow();
        assertTrue(authenticated.isInstallationWide());
        assertTrue(authenticated.reaches(environment) && authenticated.reaches(otherEnvironment));
        AdminPrincipal administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a")
                .principal();
        assertThrows(ForbiddenException.class,
                () -> tokens.issue(administrator, AdminRole.SECURITY_REVIEWER, null, Duration.ofHours(1), "x"),
                "an environment's administrator grants only within its environment");
        MintedToken scoped = tokens.issue(administrator, AdminRole.SECURITY_REVIEWER, environment, Duration.ofHours(1),
                "s");
        assertTrue(!scoped.principal().isInstallationWide() && !scoped.principal().reaches(otherEnvironment));
        assertThrows(ForbiddenException.class,
                () -> tokens.issue(authenticated, AdminRole.SECURITY_REVIEWER, null, Duration.ofMinutes(1), "x"),
                "a reviewer grants nothing");
        assertThrows(InvalidRequestException.class,
                () -> tokens.issue(owner, AdminRole.DEVICE_ADMIN, null, Duration.ofHours(1), "x"),
                "no other role is installation-wide");
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
        tokens.revoke(administrator.principal(), mine.id(), PIN);
        assertTrue(tokens.authenticate(mine.token()).isEmpty());
        assertThrows(ConflictException.class, () -> tokens.revoke(owner, mine.id(), PIN));
        assertThrows(ForbiddenException.class, () -> tokens.revoke(administrator.principal(), peer.id(), PIN));
        assertThrows(NotFoundException.class, () -> tokens.revoke(administrator.principal(), elsewhere.id(), PIN));
        assertThrows(NotFoundException.class, () -> tokens.revoke(owner, "no-such-token", PIN));
        assertTrue(tokens.authenticate(peer.token()).isPresent());
        tokens.revoke(owner, peer.id(), PIN);
        assertTrue(tokens.authenticate(peer.token()).isEmpty());
    }

    @Test
    void revokingATokenRevokesEveryTokenItMintedHoweverIndirectly() {
        MintedToken administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a");
        MintedToken deputy = tokens.issue(administrator.principal(), AdminRole.ADMINISTRATOR, environment,
                Duration.ofHours(2), "deputy");
        MintedToken deputysMember = tokens.issue(deputy.principal(), AdminRole.MEMBERSHIP_ADMIN, environment,
                Duration.ofHours(1), "m");
        MintedToken devices = tokens.issue(administrator.principal(), AdminRole.DEVICE_ADMIN, environment,
                Duration.ofHours(1), "d");
        MintedToken unrelated = tokens.issue(owner, AdminRole.POLICY_ADMIN, environment, Duration.ofHours(1), "p");

        tokens.revoke(owner, administrator.id(), PIN);

        for (MintedToken gone : List.of(administrator, deputy, deputysMember, devices)) {
            assertTrue(tokens.authenticate(gone.token()).isEmpty(), gone.principal().label());
        }
        assertTrue(tokens.authenticate(unrelated.token()).isPresent());
        List<AdminToken> listed = tokens.list(owner, PageRequest.first(50)).items();
        assertEquals(Set.of(administrator.id(), deputy.id(), deputysMember.id(), devices.id()), listed.stream()
                .filter(token -> token.revokedAt() != null).map(AdminToken::id).collect(Collectors.toSet()),
                "the list says so too");
        assertThrows(ConflictException.class, () -> tokens.revoke(owner, deputy.id(), PIN));
    }

    @Test
    void aTokenMayRevokeWhatWasMintedFromItHoweverIndirectlyButNotItsPeers() {
        MintedToken administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a");
        MintedToken deputy = tokens.issue(administrator.principal(), AdminRole.ADMINISTRATOR, environment,
                Duration.ofHours(2), "deputy");
        MintedToken deputysMember = tokens.issue(deputy.principal(), AdminRole.MEMBERSHIP_ADMIN, environment,
                Duration.ofHours(1), "m");
        MintedToken peer = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofHours(1), "peer");

        assertThrows(ForbiddenException.class, () -> tokens.revoke(deputy.principal(), administrator.id(), PIN));
        assertThrows(ForbiddenException.class, () -> tokens.revoke(peer.principal(), deputysMember.id(), PIN));
        tokens.revoke(administrator.principal(), deputysMember.id(), PIN);
        assertTrue(tokens.authenticate(deputysMember.token()).isEmpty());
        assertTrue(tokens.authenticate(deputy.token()).isPresent(), "only the member's token went");
    }

    @Test
    void removingAnAdministratorNeedsTheCriticalOperationPin() {
        MintedToken administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a");
        MintedToken minted = tokens.issue(administrator.principal(), AdminRole.DEVICE_ADMIN, environment,
                Duration.ofHours(1), "d");
        for (String wrong : new String[] {null, "", "000000"}) {
            assertThrows(ForbiddenException.class, () -> tokens.revoke(owner, administrator.id(), wrong));
        }
        assertTrue(tokens.authenticate(administrator.token()).isPresent(), "nothing revoked");
        assertTrue(tokens.authenticate(minted.token()).isPresent(), "nothing revoked");
        tokens.revoke(owner, administrator.id(), PIN);
        assertTrue(tokens.authenticate(administrator.token()).isEmpty());
    }

    @Test
    void theLastLiveOwnerTokenCannotBeRevokedNorTheTreeThatHoldsIt() {
        assertThrows(ConflictException.class, () -> tokens.revoke(owner, owner.tokenId(), PIN));
        MintedToken second = tokens.issue(owner, AdminRole.OWNER, null, Duration.ofDays(1), "second owner");
        assertThrows(ConflictException.class, () -> tokens.revoke(second.principal(), owner.tokenId(), PIN),
                "the second owner was minted by the first: revoking the first revokes both");
        assertTrue(tokens.authenticate(second.token()).isPresent());

        tokens.mint(AdminRole.OWNER, null, Duration.ofDays(1), "temporary owner");
        clock.advance(Duration.ofDays(2));
        assertThrows(ConflictException.class, () -> tokens.revoke(owner, owner.tokenId(), PIN),
                "an expired owner token is not a live one");

        MintedToken other = tokens.mint(AdminRole.OWNER, null, null, "other owner");
        tokens.revoke(owner, owner.tokenId(), PIN);
        assertTrue(tokens.authenticate(other.token()).isPresent());
    }

    @Test
    void rotatingTheOwnerRevokesTheServerMintedOwnerAndKeepsItsDelegations() {
        MintedToken administrator = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(1), "a");
        MintedToken rotated = tokens.rotateOwner("installation owner");

        assertTrue(tokens.authenticate(rotated.token()).isPresent());
        assertEquals(List.of(owner.tokenId()), tokens.list(rotated.principal(), PageRequest.first(50)).items().stream()
                .filter(token -> token.revokedAt() != null).map(AdminToken::id).toList());
        AdminToken delegated = tokens.list(rotated.principal(), PageRequest.first(50)).items().stream()
                .filter(token -> token.id().equals(administrator.id())).findFirst().orElseThrow();
        assertEquals(rotated.id(), delegated.issuedBy());
        assertTrue(tokens.authenticate(administrator.token()).isPresent());
        tokens.revoke(rotated.principal(), administrator.id(), PIN);
        assertTrue(tokens.authenticate(administrator.token()).isEmpty());
    }

    @Test
    void aTokenOfTheLongestLifetimeAnswersUntilItsLastMillisecondAndItsUseIsNotedOncePerMinute() {
        MintedToken minted = tokens.issue(owner, AdminRole.ADMINISTRATOR, environment, Duration.ofDays(30), "longest");
        assertNull(lastUsed(minted));
        tokens.authenticate(minted.token()).orElseThrow();
        java.time.Instant first = clock.instant();
        assertEquals(first, lastUsed(minted));
        clock.advance(Duration.ofSeconds(59));
        tokens.authenticate(minted.token()).orElseThrow();
        assertEquals(first, lastUsed(minted), "within the minute: not written again");
        clock.advance(Duration.ofSeconds(1));
        tokens.authenticate(minted.token()).orElseThrow();
        assertEquals(first.plusSeconds(60), lastUsed(minted));

        clock.advance(Duration.ofDays(30).minusSeconds(60).minusMillis(1));
        assertTrue(tokens.authenticate(minted.token()).isPresent(), "its last millisecond");
        clock.advance(Duration.ofMillis(1));
        assertTrue(tokens.authenticate(minted.token()).isEmpty(), "expired at its expiry");
        assertThrows(InvalidRequestException.class, () -> tokens.issue(owner, AdminRole.ADMINISTRATOR, environment,
                Duration.ofDays(30).plusMillis(1), "too long"));
    }

    private java.time.Instant lastUsed(MintedToken minted) {
        return tokens.list(owner, PageRequest.first(50)).items().stream().filter(token -> token.id().equals(minted.id()))
                .findFirst().orElseThrow().lastUsedAt();
    }
}
