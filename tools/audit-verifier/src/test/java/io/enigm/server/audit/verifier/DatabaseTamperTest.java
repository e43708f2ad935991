package io.enigm.server.audit.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SQLite file edited by someone who has it but not the service or its secrets; the server's
 * export of what is left goes to the verifier, which finds and locates each edit. The chain:
 * records 1 to 6, checkpoints at 1 and 4.
 */
class DatabaseTamperTest {

    @TempDir
    Path directory;

    private Exports exports;

    @BeforeEach
    void sixRecordsTwoCheckpoints() {
        exports = new Exports(directory).append(3).aMinuteLater().append(3);
    }

    private void assertBroken(String expected, String... statements) {
        exports.tamperDatabase(statements);
        Exports.Run run = Exports.verify(exports.export(null));
        assertEquals(expected, run.out().replaceAll(" \\(.*", ""), run.out());
        assertEquals(AuditVerifier.BROKEN, run.exit(), "exit 1 for a broken chain");
    }

    @Test
    void theUntouchedDatabaseExportsIntact() {
        assertEquals(AuditVerifier.INTACT, Exports.verify(exports.export(null)).exit());
    }

    @Test
    void aChangedFieldIsFound() {
        assertBroken("broken at sequence 3: changed", "UPDATE audit_record SET outcome = 'DENIED' WHERE sequence = 3");
    }

    @Test
    void aDeletedRecordIsFound() {
        assertBroken("broken at sequence 3: missing", "DELETE FROM audit_record WHERE sequence = 3");
    }

    @Test
    void anInsertedRecordIsFound() {
        assertBroken("broken at sequence 3: inserted",
                "UPDATE audit_record SET sequence = -(sequence + 1) WHERE sequence >= 3",
                "UPDATE audit_record SET sequence = -sequence WHERE sequence < 0",
                "INSERT INTO audit_record (sequence, recorded_at, actor, role, environment_id, action, target, outcome,"
                        + " category, salt, previous_hash, hash) SELECT 3, recorded_at, actor, role, environment_id,"
                        + " 'forged', target, outcome, category, salt, previous_hash, hash FROM audit_record"
                        + " WHERE sequence = 4");
    }

    @Test
    void twoSwappedRecordsAreFound() {
        assertBroken("broken at sequence 2: reordered",
                "UPDATE audit_record SET sequence = 100 WHERE sequence = 2",
                "UPDATE audit_record SET sequence = 2 WHERE sequence = 3",
                "UPDATE audit_record SET sequence = 3 WHERE sequence = 100");
    }

    @Test
    void aForgedCheckpointIsFound() {
        assertBroken("broken at sequence 4: forged checkpoint",
                "UPDATE audit_checkpoint SET hash = (SELECT hash FROM audit_record WHERE sequence = 5)"
                        + " WHERE sequence = 4");
    }

    @Test
    void recordsCutFromTheEndAreFoundAgainstTheCheckpointThatVouchesForThem() {
        assertBroken("broken at sequence 3: truncated", "DELETE FROM audit_record WHERE sequence >= 3");
    }

    @Test
    void recordsCutWithTheirCheckpointsAreFoundAgainstTheCopyInTheSecrets() {
        assertBroken("broken at sequence 3: truncated", "DELETE FROM audit_record WHERE sequence >= 3",
                "DELETE FROM audit_checkpoint WHERE sequence > 1");
    }
}
