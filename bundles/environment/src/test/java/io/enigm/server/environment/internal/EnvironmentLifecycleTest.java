package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.MintedToken;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.environment.Surface;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.environment.VisibilityRules;
import io.enigm.server.privacy.IdentifierKind;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

class EnvironmentLifecycleTest {

    private static final String PIN = "246810";

    /** The whole state machine: for each state, the state each action leads to; absent = illegal. */
    private static final Map<EnvironmentState, Map<LifecycleAction, EnvironmentState>> LEGAL = Map.of(
            EnvironmentState.ACTIVE, Map.of(LifecycleAction.SUSPEND, EnvironmentState.SUSPENDED,
                    LifecycleAction.CLOSE, EnvironmentState.CLOSING),
            EnvironmentState.SUSPENDED, Map.of(LifecycleAction.RESUME, EnvironmentState.ACTIVE,
                    LifecycleAction.CLOSE, EnvironmentState.CLOSING),
            EnvironmentState.CLOSING, Map.of(),
            EnvironmentState.CLOSED, Map.of(LifecycleAction.DELETE, EnvironmentState.DELETED),
            EnvironmentState.DELETED, Map.of());

    @TempDir
    Path directory;

    private Database database;
    private TestClock clock;
    private HmacPseudonyms pseudonyms;
    private DataHome home;
    private PersistentEnvironments environments;
    private PersistentLegalHolds holds;
    private HashedAdminTokens tokens;

    @BeforeEach
    void open() {
        home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        clock = new TestClock();
        pseudonyms = new HmacPseudonyms(database, home, clock);
        HashedCriticalOperationPin pin = Fixtures.pin(home, database, clock);
        pin.set(PIN, null);
        holds = new PersistentLegalHolds(database, pin, clock);
        environments = new PersistentEnvironments(database, pseudonyms, pin, holds, Fixtures.GRACE, clock);
        tokens = new HashedAdminTokens(database, environments, pin, clock, Duration.ofDays(30));
    }

    @Test
    void everyStateAndActionPairEitherMovesAsTheStateMachineSaysOrIsAConflictNamingTheState() {
        int legal = 0;
        int illegal = 0;
        for (EnvironmentState from : EnvironmentState.values()) {
            for (LifecycleAction action : LifecycleAction.values()) {
                Environment environment = environmentIn(from);
                EnvironmentState expected = LEGAL.get(from).get(action);
                if (expected != null) {
                    assertEquals(expected, environments.apply(environment.id(), action, PIN).state(), from + " " + action);
                    assertEquals(expected, environments.get(environment.id()).state());
                    assertEquals(expected, Lifecycle.next(from, action));
                    legal++;
                } else {
                    ConflictException conflict = assertThrows(ConflictException.class,
                            () -> environments.apply(environment.id(), action, PIN), from + " " + action);
                    assertTrue(conflict.getMessage().contains(from.name()), conflict.getMessage());
                    assertEquals(environment, environments.get(environment.id()), "nothing changed");
                    assertThrows(ConflictException.class, () -> Lifecycle.next(from, action));
                    illegal++;
                }
            }
        }
        assertEquals(5, legal);
        assertEquals(EnvironmentState.values().length * LifecycleAction.values().length - 5, illegal);
    }

    @Test
    void closeAndDeleteNeedThePinWhileSuspendAndResumeDoNot() {
        assertTrue(LifecycleAction.CLOSE.isCritical() && LifecycleAction.DELETE.isCritical());
        Environment environment = environments.create(new NewEnvironment("e", null));
        environments.apply(environment.id(), LifecycleAction.SUSPEND, null);
        environments.apply(environment.id(), LifecycleAction.RESUME, null);
        assertThrows(ForbiddenException.class, () -> environments.apply(environment.id(), LifecycleAction.CLOSE, null));
        assertThrows(ForbiddenException.class, () -> environments.apply(environment.id(), LifecycleAction.CLOSE, "000000"));
        assertEquals(EnvironmentState.ACTIVE, environments.get(environment.id()).state());
        environments.apply(environment.id(), LifecycleAction.CLOSE, PIN);
        clock.advance(Fixtures.GRACE);
        assertThrows(ForbiddenException.class, () -> environments.apply(environment.id(), LifecycleAction.DELETE, "135790"));
        assertEquals(EnvironmentState.CLOSED, environments.get(environment.id()).state());
        assertEquals(1, keyRows(environment.id()));
    }

    @Test
    void closingLastsTheGracePeriodThenReadsAsClosedAndTheSweeperWritesItDown() {
        Environment environment = environments.create(new NewEnvironment("e", null));
        Environment closing = environments.apply(environment.id(), LifecycleAction.CLOSE, PIN);
        assertEquals(EnvironmentState.CLOSING, closing.state());
        assertEquals(clock.instant().plus(Fixtures.GRACE), closing.closingEndsAt());
        assertEquals(closing, environments.get(environment.id()));

        AuditLog audit = TestAuditLogs.open(home, database);
        ClosingSweeper sweeper = new ClosingSweeper(database, audit, clock);
        clock.advance(Fixtures.GRACE.minusSeconds(1));
        assertEquals(0, sweeper.sweep());
        assertEquals(EnvironmentState.CLOSING, environments.get(environment.id()).state());

        clock.advance(Duration.ofSeconds(1));
        Environment closed = environments.get(environment.id());
        assertEquals(EnvironmentState.CLOSED, closed.state(), "right on read, before any sweep");
        assertNull(closed.closingEndsAt());
        assertEquals(EnvironmentState.CLOSED, environments.list(PageRequest.first(10)).items().get(0).state());
        assertEquals("CLOSING", storedState(environment.id()));

        assertEquals(1, sweeper.sweep());
        assertEquals("CLOSED", storedState(environment.id()));
        assertEquals(closed, environments.get(environment.id()));
        assertEquals(0, sweeper.sweep());
        var record = audit.list(environment.id(), PageRequest.first(10)).items().get(0).entry();
        assertEquals(ClosingSweeper.AUDIT_ACTION, record.action());
        assertEquals("system", record.actor());
    }

    @Test
    void deletingDestroysTheKeyRevokesTheEnvironmentsTokensAndKeepsATombstone() {
        Environment environment = environments.create(new NewEnvironment("e", "eu-west"));
        Environment other = environments.create(new NewEnvironment("other", null));
        MintedToken administrator = tokens.mint(AdminRole.ADMINISTRATOR, environment.id(), null, "a");
        MintedToken otherAdministrator = tokens.mint(AdminRole.ADMINISTRATOR, other.id(), null, "b");
        pseudonyms.handle(environment.id(), IdentifierKind.ACCOUNT, "bob");

        Environment closed = environmentInState(environment, EnvironmentState.CLOSED);
        assertTrue(tokens.authenticate(administrator.token()).isPresent(), "a closed environment is still readable");
        Environment deleted = environments.apply(closed.id(), LifecycleAction.DELETE, PIN);

        assertEquals(EnvironmentState.DELETED, deleted.state());
        assertEquals(deleted, environments.get(environment.id()), "the tombstone stays");
        assertEquals(0, keyRows(environment.id()));
        assertThrows(NotFoundException.class, () -> pseudonyms.handle(environment.id(), IdentifierKind.ACCOUNT, "bob"));
        assertTrue(tokens.authenticate(administrator.token()).isEmpty());
        assertTrue(tokens.authenticate(otherAdministrator.token()).isPresent());
        assertEquals(1, keyRows(other.id()));
        assertThrows(NotFoundException.class, () -> tokens.mint(AdminRole.ADMINISTRATOR, environment.id(), null, "late"),
                "a deleted environment takes no new administrators");
    }

    @Test
    void aLegalHoldRefusesDeletionNamingTheHoldUntilItIsLiftedOrEnds() {
        Environment environment = environments.create(new NewEnvironment("e", null));
        String id = environment.id();
        holds.place(id, null, "Case 2026-14", null, PIN);
        assertTrue(environments.get(id).legalHold());
        Environment closed = environmentInState(environment, EnvironmentState.CLOSED);
        assertTrue(closed.legalHold(), "a hold may stay through closing");
        LegalHeldException refused = assertThrows(LegalHeldException.class,
                () -> environments.apply(id, LifecycleAction.DELETE, PIN));
        assertNull(refused.hold().memberId());
        assertTrue(refused.getMessage().contains("legal hold on the environment"), refused.getMessage());
        assertEquals(EnvironmentState.CLOSED, environments.get(id).state());
        assertEquals(1, keyRows(id));

        holds.lift(id, null, PIN);
        assertFalse(environments.get(id).legalHold());
        holds.place(id, null, "Until the review", clock.instant().plus(Duration.ofHours(1)), PIN);
        assertThrows(LegalHeldException.class, () -> environments.apply(id, LifecycleAction.DELETE, PIN));
        clock.advance(Duration.ofHours(1));
        assertFalse(environments.get(id).legalHold(), "a hold whose end has come covers nothing");
        assertEquals(EnvironmentState.DELETED, environments.apply(id, LifecycleAction.DELETE, PIN).state());
        assertThrows(ConflictException.class, () -> holds.place(id, null, "too late", null, PIN));
        assertThrows(NotFoundException.class, () -> holds.place("missing", null, "nothing", null, PIN));
    }

    @Test
    void surfacesStartAllEnabledAndArePatchedAsAWholeAndKept() {
        Environment environment = environments.create(new NewEnvironment("e", null));
        assertEquals(EnumSet.allOf(Surface.class), environment.surfaces());
        Environment changed = environments.update(environment.id(), new EnvironmentChanges(null, null, null, null,
                null, EnumSet.of(Surface.MESSAGES, Surface.CALLS)));
        assertEquals(Set.of(Surface.MESSAGES, Surface.CALLS), changed.surfaces());
        assertEquals(changed.surfaces(), environments.update(environment.id(),
                new EnvironmentChanges("renamed", null, null, null, null)).surfaces());
        assertEquals(Set.of(), environments.update(environment.id(), new EnvironmentChanges(null, null, null, null,
                null, Set.of())).surfaces());
        assertEquals(Set.of(), environments.get(environment.id()).surfaces());
    }

    @Test
    void patchChangesWhatItNamesAndLeavesTheRest() {
        Environment environment = environments.create(new NewEnvironment("e", "eu-west"));
        Environment changed = environments.update(environment.id(), new EnvironmentChanges("  renamed ", null,
                new VisibilityRules(true, false), 7, EnrollmentTrust.TRUSTED));
        assertEquals("renamed", changed.name());
        assertEquals("eu-west", changed.regionLabel());
        assertEquals(new VisibilityRules(true, false), changed.visibility());
        assertEquals(7, changed.contentLifetimeDays());
        assertEquals(EnrollmentTrust.TRUSTED, changed.newDeviceTrust());
        assertEquals(changed, environments.get(environment.id()));
        assertEquals(changed, environments.update(environment.id(), new EnvironmentChanges(null, null, null, null, null)));
        environments.apply(environment.id(), LifecycleAction.SUSPEND, null);
        assertEquals("us-east", environments.update(environment.id(),
                new EnvironmentChanges(null, "us-east", null, null, null)).regionLabel(), "suspended is not read-only");
    }

    @Test
    void patchRefusesBadValuesAndChangesNothing() {
        Environment environment = environments.create(new NewEnvironment("e", null));
        List<EnvironmentChanges> bad = List.of(
                new EnvironmentChanges(null, null, null, 0, null),
                new EnvironmentChanges(null, null, null, Environment.MAX_CONTENT_LIFETIME_DAYS + 1, null),
                new EnvironmentChanges(" ", null, null, null, null),
                new EnvironmentChanges("x".repeat(NewEnvironment.MAX_NAME_LENGTH + 1), null, null, null, null),
                new EnvironmentChanges("ok", "eu/west", null, 3, null));
        for (EnvironmentChanges changes : bad) {
            assertThrows(InvalidRequestException.class, () -> environments.update(environment.id(), changes),
                    changes.toString());
            assertEquals(environment, environments.get(environment.id()));
        }
        assertThrows(NotFoundException.class,
                () -> environments.update("missing", new EnvironmentChanges("x", null, null, null, null)));
    }

    @Test
    void closingClosedAndDeletedEnvironmentsAreReadOnly() {
        Map<EnvironmentState, Boolean> readOnly = new EnumMap<>(EnvironmentState.class);
        for (EnvironmentState state : EnvironmentState.values()) {
            Environment environment = environmentIn(state);
            try {
                environments.update(environment.id(), new EnvironmentChanges("new name", null, null, 5, null));
                readOnly.put(state, false);
            } catch (ConflictException e) {
                assertTrue(e.getMessage().contains(state.name()), e.getMessage());
                assertEquals(environment, environments.get(environment.id()));
                readOnly.put(state, true);
            }
            assertEquals(state.isReadOnly(), readOnly.get(state), state.name());
        }
        assertEquals(Map.of(EnvironmentState.ACTIVE, false, EnvironmentState.SUSPENDED, false,
                EnvironmentState.CLOSING, true, EnvironmentState.CLOSED, true, EnvironmentState.DELETED, true), readOnly);
    }

    @Test
    void theSweeperRunsOnItsConfiguredIntervalAndRefusesABadOne() throws Exception {
        Environment environment = environments.create(new NewEnvironment("e", null));
        environments.apply(environment.id(), LifecycleAction.CLOSE, PIN);
        // The component runs on the system clock: end the grace period in the database instead of waiting.
        database.inTransaction(h -> h.execute("UPDATE environment SET closing_ends_at = 1 WHERE id = ?",
                environment.id()));
        AuditLog audit = TestAuditLogs.open(home, database);
        ClosingSweeper sweeper = new ClosingSweeper(database, audit, lifecycle("PT0.05S"));
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (!"CLOSED".equals(storedState(environment.id())) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals("CLOSED", storedState(environment.id()));
        } finally {
            sweeper.stop();
        }
        assertThrows(IllegalArgumentException.class, () -> new ClosingSweeper(database, audit, lifecycle("PT0S")));
    }

    private static LifecycleConfiguration lifecycle(String sweepInterval) {
        return new LifecycleConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return LifecycleConfiguration.class;
            }

            @Override
            public String closingGracePeriod() {
                return "P7D";
            }

            @Override
            public String sweepInterval() {
                return sweepInterval;
            }
        };
    }

    @Test
    void configuredDurationsMustBePositiveIsoDurations() {
        assertEquals(Duration.ofDays(7), Lifecycle.positiveDuration("closingGracePeriod", "P7D"));
        for (String bad : new String[] {"7 days", "PT0S", "-PT1M", ""}) {
            assertThrows(IllegalArgumentException.class, () -> Lifecycle.positiveDuration("sweepInterval", bad), bad);
        }
    }

    /** A fresh environment brought into {@code state} by legal transitions only. */
    private Environment environmentIn(EnvironmentState state) {
        return environmentInState(environments.create(new NewEnvironment("in " + state, null)), state);
    }

    private Environment environmentInState(Environment environment, EnvironmentState state) {
        String id = environment.id();
        switch (state) {
            case ACTIVE -> {
                // as created
            }
            case SUSPENDED -> environments.apply(id, LifecycleAction.SUSPEND, null);
            case CLOSING -> environments.apply(id, LifecycleAction.CLOSE, PIN);
            case CLOSED -> {
                environments.apply(id, LifecycleAction.CLOSE, PIN);
                clock.advance(Fixtures.GRACE);
            }
            case DELETED -> {
                environments.apply(id, LifecycleAction.CLOSE, PIN);
                clock.advance(Fixtures.GRACE);
                environments.apply(id, LifecycleAction.DELETE, PIN);
            }
        }
        Environment now = environments.get(id);
        assertEquals(state, now.state());
        return now;
    }

    private String storedState(String id) {
        return database.read(h -> h.createQuery("SELECT state FROM environment WHERE id = :id").bind("id", id)
                .mapTo(String.class).one());
    }

    private long keyRows(String id) {
        return database.read(h -> h.createQuery("SELECT COUNT(*) FROM environment_key WHERE environment_id = :id")
                .bind("id", id).mapTo(Long.class).one());
    }

    @Test
    void aReadAfterAChangeSeesTheChangeAndContentLivesFromOneDayToTheMaximum() {
        Environment environment = environments.create(new NewEnvironment("e", null));
        assertEquals("e", environments.get(environment.id()).name());
        environments.update(environment.id(), new EnvironmentChanges("renamed", null, null, 1, null));
        Environment changed = environments.get(environment.id());
        assertEquals("renamed", changed.name());
        assertEquals(1, changed.contentLifetimeDays());
        environments.update(environment.id(),
                new EnvironmentChanges(null, null, null, Environment.MAX_CONTENT_LIFETIME_DAYS, null));
        assertEquals(Environment.MAX_CONTENT_LIFETIME_DAYS, environments.get(environment.id()).contentLifetimeDays());
        for (int outside : new int[] {0, Environment.MAX_CONTENT_LIFETIME_DAYS + 1}) {
            assertEquals("contentLifetimeDays", assertThrows(InvalidRequestException.class, () -> environments.update(
                    environment.id(), new EnvironmentChanges(null, null, null, outside, null))).field());
        }
        holds.place(environment.id(), null, "Audit of 2026", null, PIN);
        assertTrue(environments.get(environment.id()).legalHold());
    }
}
