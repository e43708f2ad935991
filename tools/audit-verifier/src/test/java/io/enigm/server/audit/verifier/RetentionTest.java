package io.enigm.server.audit.verifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditVerification;
import io.enigm.server.audit.internal.TestAuditLogs;

/**
 * The audit retention on a real log: records past the period go only in whole spans up to a signed
 * checkpoint, which is kept; what remains verifies, in the server and in an export checked by the
 * standalone verifier, from the checkpoint it starts at. The chain: records 1 to 3 ten days ago
 * (checkpoints at 1 and 3 a minute apart), records 4 to 6 now (a checkpoint at 4).
 */
class RetentionTest {

    @TempDir
    Path directory;

    private Exports exports;
    private LongSupplier sweep;

    @BeforeEach
    void tenDaysOfRecords() {
        exports = new Exports(directory).append(2).aMinuteLater().append(1);
        exports.clock.advance(Duration.ofDays(10));
        exports.append(3);
        sweep = TestAuditLogs.auditRetention(exports.database, exports.log, 7, exports.clock);
    }

    @Test
    void recordsPastTheRetentionGoUpToACheckpointAndWhatRemainsVerifiesFromIt() {
        assertEquals(3, sweep.getAsLong(), "records 1 to 3, up to the checkpoint at 3");
        long first = exports.database.read(h -> h.createQuery("SELECT MIN(sequence) FROM audit_record")
                .mapTo(Long.class).one());
        assertEquals(4, first, "the first record kept follows the checkpoint kept");

        AuditVerification server = exports.log.verify();
        assertTrue(server.intact(), server.toString());
        Path export = exports.export(null);
        assertTrue(Exports.lines(export).get(0).contains("\"firstSequence\":4"), "the export says where it starts");
        Exports.Run run = Exports.verify(export);
        assertEquals(AuditVerifier.INTACT, run.exit(), run.out() + run.err());
        assertTrue(Exports.lines(export).stream().anyMatch(line -> line.contains("\"action\":\"audit.prune\"")),
                "the removal is itself audited");
        assertEquals(0, sweep.getAsLong(), "nothing more is past the retention");
    }

    @Test
    void recordsRemovedFromTheStartByAnyoneElseAreFound() {
        exports.tamperDatabase("DELETE FROM audit_record WHERE sequence <= 2");

        AuditVerification server = exports.log.verify();
        assertFalse(server.intact());
        assertEquals(3L, server.firstBrokenSequence(), "no signed checkpoint at 2 for the record kept to follow");
        assertEquals(AuditVerifier.BROKEN, Exports.verify(exports.export(null)).exit());
    }

    @Test
    void outsideTheRetentionRecordsStillCannotBeDeleted() {
        assertThrows(RuntimeException.class, () -> exports.database.inTransaction(h ->
                h.execute("DELETE FROM audit_record WHERE sequence = 1")));
        assertThrows(RuntimeException.class, () -> exports.database.inTransaction(h ->
                h.execute("DELETE FROM audit_checkpoint WHERE sequence = 1")));
    }
}
