package io.enigm.server.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;

class HashChainedAuditLogTest {

    @TempDir
    Path home;

    private Database database;
    private HashChainedAuditLog log;

    @BeforeEach
    void open() {
        database = TestDatabases.open(TestDatabases.home(home));
        log = new HashChainedAuditLog(database);
    }

    private static AuditEntry entry(String environmentId, String action) {
        return new AuditEntry("tok1", "OWNER", environmentId, action, null, AuditOutcome.ALLOWED, null);
    }

    @Test
    void chainsEachRecordToThePreviousOne() {
        AuditRecord first = log.append(entry(null, "environment.create"));
        AuditRecord second = log.append(entry("e1", "environment.get"));
        assertEquals(1, first.sequence());
        assertEquals(HashChainedAuditLog.GENESIS_HASH, first.previousHash());
        assertEquals(first.hash(), second.previousHash());
        assertEquals(second.hash(),
                HashChainedAuditLog.hash(first.hash(), 2, second.recordedAt(), second.entry()));
    }

    @Test
    void hashChangesWithAnyField() {
        Instant at = Instant.ofEpochMilli(1000);
        String base = HashChainedAuditLog.hash("0", 1, at, entry("e1", "a"));
        assertNotEquals(base, HashChainedAuditLog.hash("0", 1, at, entry("e2", "a")));
        assertNotEquals(base, HashChainedAuditLog.hash("0", 1, at, entry(null, "a")));
        assertNotEquals(base, HashChainedAuditLog.hash("0", 2, at, entry("e1", "a")));
        // Fields are length-prefixed: moving text from one field to the next changes the hash.
        assertNotEquals(HashChainedAuditLog.hash("0", 1, at, new AuditEntry("ab", null, null, "c", null, AuditOutcome.DENIED, null)),
                HashChainedAuditLog.hash("0", 1, at, new AuditEntry("a", "b", null, "c", null, AuditOutcome.DENIED, null)));
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
