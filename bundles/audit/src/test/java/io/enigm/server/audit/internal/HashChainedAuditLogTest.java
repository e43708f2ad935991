package io.enigm.server.audit.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.AuditStatus;
import io.enigm.server.audit.AuditVerification;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.support.audit.AuditChain;

class HashChainedAuditLogTest {

    @TempDir
    Path home;

    private DataHome dataHome;
    private Database database;
    private HashChainedAuditLog log;

    @BeforeEach
    void open() {
        dataHome = TestDatabases.home(home);
        database = TestDatabases.open(dataHome);
        log = new HashChainedAuditLog(database, dataHome, new SimpleMeterRegistry());
    }

    private static AuditEntry entry(String environmentId, String action) {
        return new AuditEntry("tok1", "OWNER", environmentId, action, null, AuditOutcome.ALLOWED, null);
    }

    @Test
    void theStatusShowsTheChainsLengthItsLatestCheckpointAndTheLatestVerification() {
        AuditStatus empty = log.status();
        assertEquals(new AuditStatus(0, 0, null, null), empty, "an empty log, never verified");

        log.append(entry(null, "environment.create"));
        log.append(entry("e1", "environment.get"));
        AuditStatus appended = log.status();
        assertEquals(2, appended.records());
        assertEquals(2, appended.headSequence());
        assertEquals(1, appended.lastCheckpoint().sequence(), "the first record is checkpointed at once");
        assertNull(appended.lastVerification(), "not verified yet");

        AuditVerification verified = log.verify();
        AuditStatus after = log.status();
        assertEquals(verified, after.lastVerification().result(), "the latest verification, as it was returned");
        assertTrue(after.lastVerification().result().intact());
        assertNotNull(after.lastVerification().finishedAt());
    }

    @Test
    void chainsEachRecordToThePreviousOne() {
        AuditRecord first = log.append(entry(null, "environment.create"));
        AuditRecord second = log.append(entry("e1", "environment.get"));
        assertEquals(1, first.sequence());
        assertEquals(HashChainedAuditLog.GENESIS_HASH, first.previousHash());
        assertEquals(first.hash(), second.previousHash());
        String salt = database.read(handle -> handle.createQuery("SELECT salt FROM audit_record WHERE sequence = 2")
                .mapTo(String.class).one());
        assertEquals(second.hash(), AuditChain.hash(first.hash(), 2, new AuditChain.Entry(
                second.recordedAt().toEpochMilli(), "tok1", "OWNER", "e1", "environment.get", null, "ALLOWED", null, null,
                salt)),
                "the record's hash is the shared canonical form's, over a salt of its own");
        assertEquals(AuditChain.SALT_LENGTH, salt.length());
    }

    /** Records appended before salts keep their one-step hash, and the chain still verifies across them. */
    @Test
    void unsaltedRecordsFromBeforeSaltsStillVerify() {
        String hash = AuditChain.hash(HashChainedAuditLog.GENESIS_HASH, 1, new AuditChain.Entry(1000, "tok1", "OWNER",
                null, "environment.create", null, "ALLOWED", null, null, null));
        database.inTransaction(handle -> handle.execute("INSERT INTO audit_record (sequence, recorded_at, actor, role,"
                + " action, outcome, previous_hash, hash) VALUES (1, 1000, 'tok1', 'OWNER', 'environment.create',"
                + " 'ALLOWED', ?, ?)", HashChainedAuditLog.GENESIS_HASH, hash));
        AuditRecord next = log.append(entry("e1", "environment.get"));
        assertEquals(hash, next.previousHash());
        assertTrue(log.verify().intact());
    }

    @Test
    void appendJoinsTheCallersTransaction() {
        assertThrows(IllegalStateException.class, () -> database.inTransaction(h -> {
            log.append(entry(null, "environment.create"));
            throw new IllegalStateException("the action failed");
        }));
        assertEquals(List.of(), log.list(null, PageRequest.first(10)).items());
    }

    @Test
    void aRolledBackAppendLeavesTheChainWhereItWas() {
        AuditRecord kept = log.append(entry(null, "environment.create"));
        assertThrows(IllegalStateException.class, () -> database.inTransaction(h -> {
            log.append(entry("e1", "environment.update"));
            throw new IllegalStateException("the action failed");
        }));
        AuditRecord next = log.append(entry("e1", "environment.get"));
        assertEquals(2, next.sequence());
        assertEquals(kept.hash(), next.previousHash());
        assertEquals(List.of(kept.hash(), next.hash()),
                log.list(null, PageRequest.first(10)).items().stream().map(AuditRecord::hash).toList());
    }

    /** The database fails the insert at run time (an integer overflow in a trigger); the next append is stored. */
    @Test
    void anAppendAfterAFailedInsertIsStored() {
        database.inTransaction(h -> {
            Tampering.failOverflowInserts(h);
            return null;
        });
        AuditRecord kept = log.append(entry(null, "environment.create"));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThrows(IllegalStateException.class, () -> log.append(entry(null, "overflow")));
        }
        AuditRecord next = log.append(entry("e1", "environment.get"));

        assertEquals(kept.hash(), next.previousHash());
        assertEquals(List.of(kept.hash(), next.hash()),
                log.list(null, PageRequest.first(10)).items().stream().map(AuditRecord::hash).toList());
        assertTrue(log.verify().intact());
    }

    /** Five records, then the log as someone with the database file but not the service left it. */
    private void tamper(String... statements) {
        for (int i = 0; i < 5; i++) {
            log.append(entry("e" + (i % 2), "a" + i));
        }
        database.inTransaction(handle -> {
            Tampering.dropTrigger(handle, "audit_record", "audit_record_no_update");
            Tampering.dropTrigger(handle, "audit_record", "audit_record_no_delete");
            for (String statement : statements) {
                handle.execute(statement);
            }
            return null;
        });
    }

    private void assertBrokenAt(long sequence, AuditVerification.Problem problem) {
        AuditVerification verification = log.verify();
        assertFalse(verification.intact());
        assertEquals(Long.valueOf(sequence), verification.firstBrokenSequence());
        assertEquals(problem, verification.problem());
    }

    @Test
    void anIntactChainVerifiesAndNamesItsHead() {
        AuditVerification empty = log.verify();
        assertTrue(empty.intact());
        assertEquals(0, empty.records());
        assertEquals(HashChainedAuditLog.GENESIS_HASH, empty.headHash());
        AuditRecord last = null;
        for (int i = 0; i < 2500; i++) {
            last = log.append(entry("e" + (i % 3), "a" + i));
        }
        AuditVerification verification = log.verify();
        assertTrue(verification.intact());
        assertNull(verification.firstBrokenSequence());
        assertEquals(2500, verification.records());
        assertEquals(last.sequence(), verification.headSequence());
        assertEquals(last.hash(), verification.headHash());
    }

    @Test
    void aChangedRecordIsFound() {
        tamper("UPDATE audit_record SET outcome = 'ALLOWED', category = NULL WHERE sequence = 3",
                "UPDATE audit_record SET outcome = 'DENIED' WHERE sequence = 3");
        assertBrokenAt(3, AuditVerification.Problem.HASH_MISMATCH);
    }

    @Test
    void aRemovedRecordIsFound() {
        tamper("DELETE FROM audit_record WHERE sequence = 2");
        assertBrokenAt(3, AuditVerification.Problem.SEQUENCE_GAP);
    }

    @Test
    void aRemovedAndRenumberedRecordIsFound() {
        tamper("DELETE FROM audit_record WHERE sequence = 2",
                "UPDATE audit_record SET sequence = sequence - 1 WHERE sequence > 2");
        assertBrokenAt(2, AuditVerification.Problem.PREVIOUS_HASH_MISMATCH);
    }

    @Test
    void anInsertedRecordIsFound() {
        tamper("UPDATE audit_record SET sequence = -(sequence + 1) WHERE sequence >= 4",
                "UPDATE audit_record SET sequence = -sequence WHERE sequence < 0",
                "INSERT INTO audit_record (sequence, recorded_at, actor, role, environment_id, action, target, outcome,"
                        + " category, previous_hash, hash) SELECT 4, recorded_at, actor, role, environment_id, 'forged',"
                        + " target, outcome, category, hash, hash FROM audit_record WHERE sequence = 3");
        assertBrokenAt(4, AuditVerification.Problem.HASH_MISMATCH);
    }

    @Test
    void reorderedRecordsAreFound() {
        tamper("UPDATE audit_record SET sequence = 100 WHERE sequence = 2",
                "UPDATE audit_record SET sequence = 2 WHERE sequence = 3",
                "UPDATE audit_record SET sequence = 3 WHERE sequence = 100");
        assertBrokenAt(2, AuditVerification.Problem.PREVIOUS_HASH_MISMATCH);
    }

    @Test
    void theHeadIsCheckpointedAndSignedEveryTenThousandRecordsOrMinute() {
        TestClock clock = new TestClock();
        HashChainedAuditLog timed = new HashChainedAuditLog(database, dataHome, new SimpleMeterRegistry(), clock);
        timed.append(entry(null, "first"));
        for (int i = 0; i < HashChainedAuditLog.CHECKPOINT_RECORDS; i++) {
            timed.append(entry(null, "bulk"));
        }
        clock.advance(java.time.Duration.ofMillis(HashChainedAuditLog.CHECKPOINT_MILLIS));
        AuditRecord afterAMinute = timed.append(entry(null, "later"));
        assertEquals(List.of(1L, 1L + HashChainedAuditLog.CHECKPOINT_RECORDS, afterAMinute.sequence()),
                database.read(handle -> handle.createQuery("SELECT sequence FROM audit_checkpoint ORDER BY sequence")
                        .mapTo(Long.class).list()));
        assertTrue(new String(dataHome.readSecret(CheckpointSigner.LATEST).orElseThrow(),
                java.nio.charset.StandardCharsets.UTF_8).startsWith(afterAMinute.sequence() + "\n"));
        assertTrue(timed.verify().intact());
    }

    @Test
    void recordsCutFromTheEndAreFoundAgainstTheLatestCheckpoint() {
        for (int i = 0; i <= HashChainedAuditLog.CHECKPOINT_RECORDS; i++) {
            log.append(entry(null, "bulk"));
        }
        database.inTransaction(handle -> {
            Tampering.dropTrigger(handle, "audit_record", "audit_record_no_delete");
            return handle.execute("DELETE FROM audit_record WHERE sequence > 5000");
        });
        assertBrokenAt(5001, AuditVerification.Problem.TRUNCATED);

        // Its checkpoints cut as well: the copy in the secrets directory still vouches for the end.
        database.inTransaction(handle -> {
            Tampering.dropTrigger(handle, "audit_checkpoint", "audit_checkpoint_no_delete");
            return handle.execute("DELETE FROM audit_checkpoint WHERE sequence > 5000");
        });
        assertBrokenAt(5001, AuditVerification.Problem.TRUNCATED);
    }

    @Test
    void aCheckpointThatDisagreesWithTheChainOrIsNotSignedIsFound() {
        tamper();
        database.inTransaction(handle -> {
            Tampering.dropTrigger(handle, "audit_checkpoint", "audit_checkpoint_no_update");
            return handle.execute("UPDATE audit_checkpoint SET signature = 'AAAA' WHERE sequence = 1");
        });
        assertBrokenAt(1, AuditVerification.Problem.CHECKPOINT_MISMATCH);
    }

    @Test
    void listsPagesInOrderFilteredByEnvironment() {
        for (int i = 0; i < 5; i++) {
            log.append(entry(i % 2 == 0 ? "e1" : "e2", "a" + i));
        }
        Page<AuditRecord> first = log.list("e1", PageRequest.first(2));
        assertEquals(List.of("a0", "a2"), first.items().stream().map(r -> r.entry().action()).toList());
        Page<AuditRecord> second = log.list("e1", new PageRequest(first.next(), 2));
        assertEquals(List.of("a4"), second.items().stream().map(r -> r.entry().action()).toList());
        assertNull(second.next());
        assertEquals(5, log.list(null, PageRequest.first(500)).items().size());
        assertThrows(InvalidRequestException.class, () -> log.list(null, new PageRequest("not-a-cursor", 2)));
    }
}
