package io.enigm.server.audit.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.PageRequest;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.work.UnitOfWork;

/** An operation and its audit record are kept together or not at all (DESIGN invariants 2 and 8). */
class AuditedUnitOfWorkTest {

    @TempDir
    Path home;
    private AuditLog log;
    private UnitOfWork work;

    @BeforeEach
    void open() {
        DataHome dataHome = TestDatabases.home(home);
        Database database = TestDatabases.open(dataHome);
        log = new HashChainedAuditLog(database, dataHome, new SimpleMeterRegistry());
        work = new AuditedUnitOfWork(database, log);
    }

    private static AuditEntry entry(String action) {
        return new AuditEntry("tok1", "OWNER", null, action, null, AuditOutcome.ALLOWED, null);
    }

    private List<String> actions() {
        return log.list(null, PageRequest.first(100)).items().stream().map(r -> r.entry().action()).toList();
    }

    @Test
    void theOperationsWritesAndItsRecordAreDurableWhenTheFutureCompletes() throws Exception {
        String result = work.submit(() -> {
            log.append(entry("operation.write"));
            return "done";
        }, done -> entry("request." + done)).get();
        assertEquals("done", result);
        assertEquals(List.of("operation.write", "request.done"), actions());
    }

    @Test
    void aFailingOperationLeavesNeitherItsWritesNorARecord() {
        ExecutionException failed = assertThrows(ExecutionException.class, () -> work.submit(() -> {
            log.append(entry("operation.write"));
            throw new IllegalStateException("refused");
        }, any -> entry("request.allowed")).get());
        assertInstanceOf(IllegalStateException.class, failed.getCause());
        assertEquals(List.of(), actions());
    }

    @Test
    void aRecordThatCannotBeMadeTakesTheOperationsWritesWithIt() {
        assertThrows(IllegalStateException.class, () -> work.run(() -> log.append(entry("operation.write")),
                written -> {
                    throw new IllegalStateException("no record");
                }));
        assertEquals(List.of(), actions());
    }
}
