package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminToken;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

/** The owner token file across restarts: kept while it works, replaced (and the old token revoked) when not. */
class OwnerTokenBootstrapTest {

    @TempDir
    Path directory;

    private DataHome home;
    private Database database;
    private TestClock clock;
    private HashedAdminTokens tokens;
    private AuditLog audit;
    private String environment;

    @BeforeEach
    void open() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        clock = new TestClock();
        PersistentEnvironments environments = Fixtures.environments(home, database, clock);
        tokens = new HashedAdminTokens(database, environments, Fixtures.pin(home, database, clock), clock,
                Duration.ofDays(30));
        audit = TestAuditLogs.open(home, database);
        environment = environments.create(new NewEnvironment("e", null)).id();
    }

    private void start() {
        new OwnerTokenBootstrap(database, tokens, audit, home, clock);
    }

    private String fileToken() throws IOException {
        return Files.readString(home.secrets().resolve(OwnerTokenBootstrap.SECRET_NAME), StandardCharsets.UTF_8)
                .strip();
    }

    private AdminPrincipal owner(String token) {
        AdminPrincipal principal = tokens.authenticate(token).orElseThrow();
        assertEquals(AdminRole.OWNER, principal.role());
        return principal;
    }

    private List<String> actions() {
        return audit.list(null, PageRequest.first(100)).items().stream().map(AuditRecord::entry)
                .map(AuditEntry::action).toList();
    }

    @Test
    void theFirstStartWritesAnOwnerTokenThatLaterStartsKeep() throws IOException {
        start();
        String first = fileToken();
        owner(first);
        start();
        start();
        assertEquals(first, fileToken());
        assertEquals(1, tokens.list(owner(first), PageRequest.first(50)).items().size());
        assertEquals(List.of("admin-token.create"), actions());
    }

    @Test
    void deletingTheFileAndRestartingRotatesTheTokenAndRevokesTheOldOne() throws IOException {
        start();
        String old = fileToken();
        MintedToken administrator = tokens.issue(owner(old), AdminRole.ADMINISTRATOR, environment,
                Duration.ofDays(1), "a");

        Files.delete(home.secrets().resolve(OwnerTokenBootstrap.SECRET_NAME));
        start();

        String rotated = fileToken();
        assertNotEquals(old, rotated);
        assertTrue(tokens.authenticate(old).isEmpty(), "the old owner token no longer works");
        AdminPrincipal owner = owner(rotated);
        assertEquals(owner.tokenId(), tokens.list(owner, PageRequest.first(50)).items().stream()
                .filter(token -> token.id().equals(administrator.id())).map(AdminToken::issuedBy)
                .findFirst().orElseThrow(), "the owner's delegations now hang from the new token");
        assertTrue(tokens.authenticate(administrator.token()).isPresent());
        assertEquals(List.of("admin-token.create", "admin-token.rotate"), actions());
        assertEquals(owner.tokenId(), audit.list(null, PageRequest.first(100)).items().get(1).entry().target());
    }

    @Test
    void aFileThatHoldsNoLiveOwnerTokenIsReplaced() throws IOException {
        start();
        String original = fileToken();
        home.writeSecret(OwnerTokenBootstrap.SECRET_NAME, "enigm_at_not-a-token\n".getBytes(StandardCharsets.UTF_8));
        start();
        String replaced = fileToken();
        owner(replaced);
        assertTrue(tokens.authenticate(original).isEmpty());

        // A token that was revoked (here by rotation) does not count either.
        home.writeSecret(OwnerTokenBootstrap.SECRET_NAME, (original + "\n").getBytes(StandardCharsets.UTF_8));
        start();
        owner(fileToken());
        assertNotEquals(original, fileToken());
        assertTrue(tokens.authenticate(replaced).isEmpty());
    }
}
