package io.enigm.server.audit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditVerification;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.store.internal.TestPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Two nodes append to one chain in one PostgreSQL database. Each keeps the chain's end only for the
 * write transaction it read it in, so appends alternating between the nodes, and appends racing on
 * both (several in each node's group commits), link into one chain that verifies.
 */
@EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
class AuditAcrossNodesTest {

    private static final int THREADS_PER_NODE = 8;
    private static final int APPENDS_PER_THREAD = 40;

    @TempDir
    Path home;

    private static AuditEntry entry(String action) {
        return new AuditEntry("tok1", "OWNER", "e1", action, null, AuditOutcome.ALLOWED, null);
    }

    @Test
    void appendsAlternatingAndRacingOnTwoNodesFormOneChainThatVerifies() throws Exception {
        DataHome dataHome = TestDatabases.home(home);
        String url = TestPostgres.shared().newDatabase();
        Database a = TestDatabases.open(dataHome, url);
        Database b = TestDatabases.open(dataHome, url);
        ExecutorService threads = Executors.newFixedThreadPool(2 * THREADS_PER_NODE);
        try {
            HashChainedAuditLog onA = new HashChainedAuditLog(a, dataHome, new SimpleMeterRegistry());
            HashChainedAuditLog onB = new HashChainedAuditLog(b, dataHome, new SimpleMeterRegistry());
            for (int i = 0; i < 10; i++) {
                assertEquals(i + 1, (i % 2 == 0 ? onA : onB).append(entry("environment.get")).sequence());
            }
            List<Callable<Void>> appends = new ArrayList<>();
            for (HashChainedAuditLog node : List.of(onA, onB)) {
                for (int t = 0; t < THREADS_PER_NODE; t++) {
                    appends.add(() -> {
                        for (int i = 0; i < APPENDS_PER_THREAD; i++) {
                            node.append(entry("member.get"));
                        }
                        return null;
                    });
                }
            }
            for (Future<Void> done : threads.invokeAll(appends)) {
                done.get();
            }
            AuditVerification verified = onB.verify();
            assertTrue(verified.intact(), verified.toString());
            assertEquals(10 + 2 * THREADS_PER_NODE * APPENDS_PER_THREAD, onA.status().records());
        } finally {
            threads.shutdownNow();
            ((AutoCloseable) a).close();
            ((AutoCloseable) b).close();
        }
    }
}
