package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.environment.NewEnvironment;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.EnvironmentTableData;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.store.internal.TestDatabases;

class DeletedEnvironmentEraserTest {

    private static final String PIN = "135790";

    /** A kind of per-environment data, as another bundle would register it, in a table of its own. */
    private static class Notes extends EnvironmentTableData {

        Notes(Database database) {
            super(database, "notes", "note");
        }
    }

    @TempDir
    Path directory;

    private Database database;
    private AuditLog audit;
    private DeletedEnvironmentEraser eraser;
    private PersistentLegalHolds holds;
    private String doomed;
    private String living;

    @BeforeEach
    void open() {
        DataHome home = TestDatabases.home(directory);
        database = TestDatabases.open(home);
        audit = TestAuditLogs.open(home, database);
        HashedCriticalOperationPin pin = Fixtures.pin(home, database, Clock.systemUTC());
        pin.set(PIN, null);
        holds = new PersistentLegalHolds(database, pin, Clock.systemUTC());
        PersistentEnvironments environments = new PersistentEnvironments(database,
                new HmacPseudonyms(database, home, Clock.systemUTC()), pin, holds, Fixtures.GRACE, Clock.systemUTC());
        doomed = environments.create(new NewEnvironment("doomed", null)).id();
        living = environments.create(new NewEnvironment("living", null)).id();
        database.inTransaction(handle -> {
            handle.execute("CREATE TABLE note (environment_id TEXT NOT NULL, text TEXT)");
            for (String environment : List.of(doomed, living)) {
                handle.execute("INSERT INTO note VALUES (?, 'kept about someone')", environment);
            }
            return null;
        });
        eraser = new DeletedEnvironmentEraser(database, audit, holds);
        eraser.bindData(new Notes(database));
    }

    /** Marks the environment deleted behind the lifecycle's back, which refuses deletion under a hold. */
    private void delete() {
        database.inTransaction(handle -> handle.createUpdate("UPDATE environment SET state = 'DELETED' WHERE id = :id")
                .bind("id", doomed).execute());
    }

    private long notes(String environment) {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM note WHERE environment_id = :env")
                .bind("env", environment).mapTo(Long.class).one());
    }

    @Test
    void erasesEveryRegisteredKindOfADeletedEnvironmentOnceAndAuditsIt() {
        assertEquals(0, eraser.erase(), "a live environment keeps its data");
        delete();
        assertEquals(1, eraser.erase());
        assertEquals(0, notes(doomed));
        assertEquals(1, notes(living), "other environments keep theirs");
        assertEquals(0, eraser.erase(), "nothing left to erase");
        List<AuditRecord> records = audit.list(doomed, PageRequest.first(10)).items();
        assertTrue(records.stream().anyMatch(r -> r.entry().action().equals("notes.erase")));
        assertTrue(records.stream().noneMatch(r -> r.toString().contains("kept about someone")),
                "the audit says what kind was erased, never what it held");
    }

    @Test
    void aLegalHoldSuspendsErasureUntilItIsLifted() {
        holds.place(doomed, null, "Kept for the court", null, PIN);
        delete();
        assertEquals(0, eraser.erase());
        assertEquals(1, notes(doomed));
        holds.lift(doomed, null, PIN);
        assertEquals(1, eraser.erase());
        assertEquals(0, notes(doomed));
    }

    @Test
    void aKindThatLeavesIsNoLongerAsked() {
        EnvironmentData notes = new Notes(database);
        DeletedEnvironmentEraser fresh = new DeletedEnvironmentEraser(database, audit, holds);
        fresh.bindData(notes);
        fresh.unbindData(notes);
        delete();
        assertEquals(0, fresh.erase());
        assertEquals(1, notes(doomed));
    }

    @Test
    void aKindsErasureCommitsWithTheAuditRecordOrNotAtAll() {
        DeletedEnvironmentEraser failing = new DeletedEnvironmentEraser(database, audit, holds);
        failing.bindData(new Notes(database) {
            @Override
            public void erase(String environmentId) {
                super.erase(environmentId);
                throw new IllegalStateException("the kind fails after deleting");
            }
        });
        delete();
        assertThrows(IllegalStateException.class, failing::erase);
        assertEquals(1, notes(doomed), "the kind's delete joined the eraser's transaction and rolled back with it");
        assertTrue(audit.list(doomed, PageRequest.first(10)).items().stream()
                .noneMatch(r -> r.entry().action().equals("notes.erase")));
    }

    @Test
    void theScheduleRunsEveryOneSecondToOneHour() {
        for (int refused : new int[] {0, 3601}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new DeletedEnvironmentEraser(database, audit, holds, every(refused)), refused + " s");
        }
        for (int accepted : new int[] {1, 3600}) {
            new DeletedEnvironmentEraser(database, audit, holds, every(accepted)).stop();
        }
    }

    private static ErasureConfiguration every(int seconds) {
        return TestComponents.configuration(ErasureConfiguration.class, Map.of("erasureIntervalSeconds", seconds));
    }
}
