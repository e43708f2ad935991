package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.PurgeDeletedTest;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;

/** A deleted environment's wrapped key, searched for byte by byte in every file of the data home. */
class EnvironmentKeyErasureTest {

    private static final String PIN = "975310";

    @TempDir
    Path directory;

    @Test
    @DisabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql",
            disabledReason = "searches the SQLite file and its journal in the data home; PostgreSQL keeps its"
                    + " pages in its own data directory")
    void afterDeletionAndTheErasersRunTheWrappedKeyIsInNoFile() throws IOException {
        DataHome home = TestDatabases.home(directory);
        Database database = TestDatabases.open(home);
        TestClock clock = new TestClock();
        HashedCriticalOperationPin pin = Fixtures.pin(home, database, clock);
        pin.set(PIN, null);
        PersistentLegalHolds holds = new PersistentLegalHolds(database, pin, clock);
        PersistentEnvironments environments = new PersistentEnvironments(database,
                new HmacPseudonyms(database, home, clock), pin, holds, Fixtures.GRACE, clock);
        DeletedEnvironmentEraser eraser = new DeletedEnvironmentEraser(database,
                TestAuditLogs.open(home, database), holds);
        String doomed = environments.create(new NewEnvironment("doomed", null)).id();
        String kept = environments.create(new NewEnvironment("kept", null)).id();
        byte[] doomedKey = wrappedKey(database, doomed);
        byte[] keptKey = wrappedKey(database, kept);

        environments.apply(doomed, LifecycleAction.CLOSE, PIN);
        clock.advance(Fixtures.GRACE.plus(Duration.ofSeconds(1)));
        environments.apply(doomed, LifecycleAction.DELETE, PIN);
        assertFalse(PurgeDeletedTest.filesContaining(directory, doomedKey).isEmpty(),
                "deleted, but its pages' earlier versions are still in the journal");

        eraser.erase();

        assertEquals(List.of(), PurgeDeletedTest.filesContaining(directory, doomedKey));
        assertEquals(List.of("enigm.db"), PurgeDeletedTest.filesContaining(directory, keptKey),
                "the search finds a key that is still there");
    }

    private static byte[] wrappedKey(Database database, String environment) {
        return database.read(handle -> handle.createQuery(
                "SELECT wrapped_key FROM environment_key WHERE environment_id = :id")
                .bind("id", environment).mapTo(byte[].class).one());
    }
}
