package io.enigm.server.audit.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditChange;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.audit.AuditVerification;
import io.enigm.server.common.PageRequest;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.support.audit.AuditChain;

/** An update's audit record names what it changed, and the chain covers those changes too. */
class AuditChangesTest {

    @TempDir
    Path home;

    private Database database;
    private HashChainedAuditLog log;

    private static final List<AuditChange> RENAMED = List.of(new AuditChange("name", "Field office", "Head office"),
            new AuditChange("visibility.memberDirectory", "true", "false"), AuditChange.withheld("pin"));

    @BeforeEach
    void open() {
        DataHome dataHome = TestDatabases.home(home);
        database = TestDatabases.open(dataHome);
        log = new HashChainedAuditLog(database, dataHome, new SimpleMeterRegistry());
    }

    private static AuditEntry update(List<AuditChange> changes) {
        return new AuditEntry("tok1", "OWNER", "e1", "environment.update", "e1", AuditOutcome.ALLOWED, null, changes);
    }

    @Test
    void theChangesAreStoredAndReadBackAsTheyWereGiven() {
        log.append(update(RENAMED));
        log.append(update(List.of()));

        List<AuditRecord> records = log.list(null, new PageRequest(null, 10)).items();
        assertEquals(RENAMED, records.get(0).entry().changes());
        assertEquals(List.of(), records.get(1).entry().changes(), "none named, none stored");
        assertTrue(log.verify().intact());
    }

    /** The record's hash as the chain's canonical form gives it, for a record from before salts. */
    private static String hash(AuditEntry entry) {
        return AuditChain.hash(HashChainedAuditLog.GENESIS_HASH, 1,
                StoredRecord.chainEntry(Instant.ofEpochMilli(1000), entry, null));
    }

    @Test
    void theHashCoversTheChangesButNotTheirAbsence() {
        String without = hash(update(List.of()));
        assertEquals(without,
                hash(new AuditEntry("tok1", "OWNER", "e1", "environment.update", "e1", AuditOutcome.ALLOWED, null)),
                "records written before changes were named keep their hashes");
        String with = hash(update(RENAMED));
        assertNotEquals(without, with);
        assertNotEquals(with, hash(update(List.of(new AuditChange("name", "Field office", "Head offic"),
                RENAMED.get(1), RENAMED.get(2)))));
        assertNotEquals(hash(update(List.of(new AuditChange("a", "b", null)))),
                hash(update(List.of(new AuditChange("a", null, "b")))), "an old value is not a new one");
    }

    @Test
    void aChangedOldOrNewValueBreaksTheChainAtItsRecord() {
        log.append(update(List.of()));
        log.append(update(RENAMED));
        log.append(update(List.of()));
        database.inTransaction(handle -> {
            Tampering.dropTrigger(handle, "audit_record", "audit_record_no_update");
            handle.execute("UPDATE audit_record SET changes = replace(changes, 'Head office', 'Elsewhere')"
                    + " WHERE sequence = 2");
            return null;
        });

        AuditVerification verification = log.verify();
        assertFalse(verification.intact());
        assertEquals(2L, verification.firstBrokenSequence());
        assertEquals(AuditVerification.Problem.HASH_MISMATCH, verification.problem());
    }
}
