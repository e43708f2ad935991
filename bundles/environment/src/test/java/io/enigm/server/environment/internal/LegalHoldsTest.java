package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.ForbiddenException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.LegalHeldException;
import io.enigm.server.environment.LegalHold;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

/** Holds on environments and members: what they cover, how long, and that only the PIN places or lifts them. */
class LegalHoldsTest {

    private static final String PIN = "975310";

    @TempDir
    Path directory;

    private Database database;
    private TestClock clock;
    private PersistentEnvironments environments;
    private PersistentLegalHolds holds;
    private String env;
    private String other;

    @BeforeEach
    void open() {
        DataHome home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        clock = new TestClock();
        HashedCriticalOperationPin pin = Fixtures.pin(home, database, clock);
        pin.set(PIN, null);
        holds = new PersistentLegalHolds(database, pin, clock);
        environments = new PersistentEnvironments(database, new HmacPseudonyms(database, home, clock), pin, holds,
                Fixtures.GRACE, clock);
        env = environments.create(new NewEnvironment("held", null)).id();
        other = environments.create(new NewEnvironment("other", null)).id();
    }

    /** A member row as the membership bundle writes it; holds only need it to exist. */
    private String member(String environmentId, String id) {
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO member (id, environment_id, account_handle,"
                + " role, state, created_at, updated_at) VALUES (:id, :env, :handle, 'MEMBER', 'ACTIVE', 0, 0)")
                .bind("id", id).bind("env", environmentId).bind("handle", "handle-" + id).execute());
        return id;
    }

    private long holdRows() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM legal_hold").mapTo(Long.class).one());
    }

    @Test
    void aMemberHoldCoversThatMemberAndTheWholeEnvironmentButNoOtherMember() {
        String alice = member(env, "alice");
        String bob = member(env, "bob");
        LegalHold hold = holds.place(env, alice, "  Dispute with Alice  ", null, PIN);
        assertEquals("Dispute with Alice", hold.reason());

        assertEquals(Optional.of(hold), holds.holdCovering(env, alice));
        assertEquals(Optional.empty(), holds.holdCovering(env, bob));
        assertEquals(Optional.of(hold), holds.holdCovering(env, null), "deleting everything would take Alice's data");
        assertEquals(Optional.empty(), holds.holdCovering(other, null));
        assertTrue(environments.get(env).legalHold());
        environments.apply(env, LifecycleAction.CLOSE, PIN);
        clock.advance(Fixtures.GRACE);
        LegalHeldException refused = assertThrows(LegalHeldException.class,
                () -> environments.apply(env, LifecycleAction.DELETE, PIN));
        assertTrue(refused.getMessage().contains("member alice"), refused.getMessage());

        LegalHold onEnvironment = holds.place(env, null, "Regulator's request", null, PIN);
        assertEquals(Optional.of(onEnvironment), holds.holdCovering(env, bob), "the environment's hold covers everyone");
        holds.lift(env, null, PIN);
        holds.lift(env, alice, PIN);
        assertEquals(Optional.empty(), holds.holdCovering(env, null));
        assertEquals("DELETED", environments.apply(env, LifecycleAction.DELETE, PIN).state().name());
    }

    @Test
    void placingAgainReplacesTheHoldAndAnEndedHoldCoversNothing() {
        String alice = member(env, "alice");
        holds.place(env, alice, "First", null, PIN);
        LegalHold replaced = holds.place(env, alice, "Second", clock.instant().plus(Duration.ofDays(2)), PIN);
        assertEquals(1, holdRows());
        assertEquals(Optional.of(replaced), holds.holdCovering(env, alice));
        clock.advance(Duration.ofDays(2));
        assertEquals(Optional.empty(), holds.holdCovering(env, alice));
        assertFalse(environments.get(env).legalHold());
        holds.lift(env, alice, PIN);
        assertEquals(0, holdRows(), "an ended hold is still lifted");
        assertThrows(NotFoundException.class, () -> holds.lift(env, alice, PIN), "nothing left to lift");
    }

    @Test
    void withoutTheRightPinNothingIsPlacedOrLifted() {
        for (String wrong : new String[] {null, "000000"}) {
            assertThrows(ForbiddenException.class, () -> holds.place(env, null, "Case", null, wrong));
        }
        assertEquals(0, holdRows());
        holds.place(env, null, "Case", null, PIN);
        assertThrows(ForbiddenException.class, () -> holds.lift(env, null, "000000"));
        assertTrue(holds.holdCovering(env, null).isPresent());
    }

    @Test
    void theReasonTheEndAndTheSubjectAreChecked() {
        assertEquals("reason", assertThrows(InvalidRequestException.class,
                () -> holds.place(env, null, " ", null, PIN)).field());
        assertEquals("reason", assertThrows(InvalidRequestException.class,
                () -> holds.place(env, null, "x".repeat(LegalHold.MAX_REASON_LENGTH + 1), null, PIN)).field());
        assertEquals("until", assertThrows(InvalidRequestException.class,
                () -> holds.place(env, null, "Case", clock.instant(), PIN)).field());
        String stranger = member(other, "stranger");
        assertThrows(NotFoundException.class, () -> holds.place(env, stranger, "Case", null, PIN),
                "another environment's member is not found here");
        assertThrows(NotFoundException.class, () -> holds.place(env, "nobody", "Case", null, PIN));
        assertEquals(0, holdRows());
    }
}
