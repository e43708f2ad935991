package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.DefensiveResponse;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;

class EnvironmentsAndTokensTest {

    @TempDir
    Path directory;

    private DataHome home;
    private Database database;
    private PersistentEnvironments environments;
    private HashedAdminTokens tokens;

    @BeforeEach
    void open() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        environments = Fixtures.environments(home, database, Clock.systemUTC());
        tokens = new HashedAdminTokens(database, environments, Fixtures.pin(home, database, Clock.systemUTC()),
                Clock.systemUTC(), Duration.ofDays(365));
    }

    @Test
    void createsActiveEnvironmentsWithUnrelatedRandomServerIds() {
        Environment created = environments.create(new NewEnvironment("  Field office  ", "eu-west"));
        assertEquals("Field office", created.name());
        assertEquals(EnvironmentState.ACTIVE, created.state());
        assertEquals(created, environments.get(created.id()));
        // 160 bits in Base32, grouped by four: 32 characters and 7 dashes.
        assertTrue(created.serverId().matches("[A-Z2-7]{4}(-[A-Z2-7]{4}){7}"), created.serverId());
        assertFalse(created.serverId().contains(created.id()));
        Set<String> serverIds = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            serverIds.add(RandomIdentifiers.serverId());
        }
        assertEquals(200, serverIds.size());
    }

    @Test
    void refusesBadNamesAndLabelsAndStoresNothing() {
        assertThrows(InvalidRequestException.class, () -> environments.create(new NewEnvironment(null, null)));
        assertThrows(InvalidRequestException.class, () -> environments.create(new NewEnvironment("  ", null)));
        assertThrows(InvalidRequestException.class, () -> environments.create(new NewEnvironment("x".repeat(201), null)));
        assertThrows(InvalidRequestException.class, () -> environments.create(new NewEnvironment("a\u0000b", null)));
        assertThrows(InvalidRequestException.class, () -> environments.create(new NewEnvironment("ok", "eu/west")));
        assertEquals(List.of(), environments.list(PageRequest.first(10)).items());
        assertThrows(NotFoundException.class, () -> environments.get("missing"));
    }

    @Test
    void listsEveryEnvironmentOnceAcrossPagesEvenWithEqualTimestamps() {
        Clock frozen = Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC);
        PersistentEnvironments sameInstant = Fixtures.environments(home, database, frozen);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            created.add(sameInstant.create(new NewEnvironment("e" + i, null)).id());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<Environment> page = environments.list(new PageRequest(cursor, 3));
            page.items().forEach(e -> seen.add(e.id()));
            cursor = page.next();
        } while (cursor != null);
        assertEquals(7, seen.size());
        assertEquals(created, new HashSet<>(seen));
        assertThrows(InvalidRequestException.class, () -> environments.list(new PageRequest("%%%", 3)));
        assertThrows(InvalidRequestException.class, () -> environments.list(new PageRequest("not-a-cursor", 3)));
    }

    @Test
    void tokensAuthenticateUntilTheyExpireAndAreStoredOnlyAsHashes() {
        Environment environment = environments.create(new NewEnvironment("e", null));
        MintedToken minted = tokens.mint(AdminRole.DEVICE_ADMIN, environment.id(), Duration.ofHours(1), "Dana");
        AdminPrincipal principal = tokens.authenticate(minted.token()).orElseThrow();
        assertEquals(new AdminPrincipal(minted.id(), AdminRole.DEVICE_ADMIN, environment.id(), "Dana"), principal);
        assertFalse(minted.toString().contains(minted.token()));

        long rowsWithRawToken = database.read(h -> h.createQuery(
                "SELECT COUNT(*) FROM admin_token WHERE token_hash = :t OR id = :t OR label = :t")
                .bind("t", minted.token()).mapTo(Long.class).one());
        assertEquals(0, rowsWithRawToken);

        HashedAdminTokens later = new HashedAdminTokens(database, environments,
                Fixtures.pin(home, database, Clock.systemUTC()), Clock.fixed(Instant.now().plus(Duration.ofHours(2)), ZoneOffset.UTC),
                Duration.ofDays(365));
        assertTrue(later.authenticate(minted.token()).isEmpty());
        assertTrue(tokens.authenticate(minted.token() + "x").isEmpty());
        assertTrue(tokens.authenticate("Bearer").isEmpty());
    }

    @Test
    void mintingChecksRoleScopeAndEnvironment() {
        assertThrows(InvalidRequestException.class, () -> tokens.mint(AdminRole.OWNER, "e", null, "x"));
        assertThrows(InvalidRequestException.class, () -> tokens.mint(AdminRole.ADMINISTRATOR, null, null, "x"));
        assertThrows(NotFoundException.class, () -> tokens.mint(AdminRole.ADMINISTRATOR, "missing", null, "x"));
        assertThrows(InvalidRequestException.class, () -> tokens.mint(AdminRole.OWNER, null, Duration.ZERO, "x"));
        assertThrows(InvalidRequestException.class, () -> tokens.mint(AdminRole.OWNER, null, null, " "));
    }

    @Test
    void theDefensiveResponseIsOffByDefaultAndRefusesCountsAndWindowsOutOfRange() {
        Environment created = environments.create(new NewEnvironment("Field office", null));
        assertEquals(DefensiveResponse.OFF, created.defensiveResponse());
        for (DefensiveResponse bad : List.of(new DefensiveResponse(1, 600), new DefensiveResponse(-1, 600),
                new DefensiveResponse(1001, 600), new DefensiveResponse(5, 9), new DefensiveResponse(5, 86_401))) {
            InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> environments.update(
                    created.id(), new EnvironmentChanges(null, null, null, null, null, null, bad)), bad.toString());
            assertTrue(refused.field().startsWith("defensiveResponse."), refused.field());
        }
        assertEquals(DefensiveResponse.OFF, environments.get(created.id()).defensiveResponse(), "nothing changed");
        DefensiveResponse on = new DefensiveResponse(5, 300);
        environments.update(created.id(), new EnvironmentChanges(null, null, null, null, null, null, on));
        assertEquals(on, environments.get(created.id()).defensiveResponse());
        assertEquals(on, Fixtures.environments(home, database, Clock.systemUTC()).get(created.id())
                .defensiveResponse(), "stored, not only cached");
        environments.update(created.id(), new EnvironmentChanges("renamed", null, null, null, null));
        assertEquals(on, environments.get(created.id()).defensiveResponse(), "kept by a change that leaves it out");
    }

    @Test
    void firstStartWritesOneOwnerTokenFileAndLaterStartsKeepIt() {
        AuditLog audit = TestAuditLogs.open(home, database);
        new OwnerTokenBootstrap(database, tokens, audit, home);
        String token = new String(home.readSecret(OwnerTokenBootstrap.SECRET_NAME).orElseThrow(),
                StandardCharsets.UTF_8).strip();
        assertEquals(AdminRole.OWNER, tokens.authenticate(token).orElseThrow().role());
        assertNull(tokens.authenticate(token).orElseThrow().environmentId());

        new OwnerTokenBootstrap(database, tokens, audit, home);
        assertEquals(token, new String(home.readSecret(OwnerTokenBootstrap.SECRET_NAME).orElseThrow(),
                StandardCharsets.UTF_8).strip());
        assertEquals(1, audit.list(null, PageRequest.first(10)).items().size());
        assertNotEquals(token, audit.list(null, PageRequest.first(10)).items().get(0).entry().target());
    }
}
