package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.store.internal.TestPostgres;

/**
 * Two nodes on one PostgreSQL database: a nonce either node issued is accepted by the other, and
 * used once across both, however the uses race.
 */
@EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
class SharedNoncesTest {

    @TempDir
    Path homeA;
    @TempDir
    Path homeB;

    private final TestClock clock = new TestClock();
    private final List<Database> databases = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (Database database : databases) {
            ((AutoCloseable) database).close();
        }
    }

    private List<SessionNonces> twoNodes() {
        String url = TestPostgres.shared().newDatabase();
        byte[] sharedKey = new byte[32];
        List<SessionNonces> nodes = new ArrayList<>();
        for (Path home : List.of(homeA, homeB)) {
            Database database = TestDatabases.open(TestDatabases.home(home), url);
            databases.add(database);
            nodes.add(new SessionNonces(sharedKey, new StoredNonces(database, clock.millis()), clock));
        }
        return nodes;
    }

    @Test
    void aNonceIssuedOnOneNodeIsUsedOnTheOtherAndThenRefusedOnBoth() {
        List<SessionNonces> nodes = twoNodes();
        String nonce = nodes.get(0).issue("env-1", "device-1").nonce();
        assertTrue(nodes.get(1).use(nonce, "env-1", "device-1"));
        assertFalse(nodes.get(0).use(nonce, "env-1", "device-1"), "replayed on the node that issued it");
        assertFalse(nodes.get(1).use(nonce, "env-1", "device-1"), "replayed on the node that took it");
        assertNull(nodes.get(0).find(nonce));
    }

    @Test
    void ofManyRacingUsesOnBothNodesExactlyOneWins() throws Exception {
        List<SessionNonces> nodes = twoNodes();
        String nonce = nodes.get(0).issue("env-1", "device-1").nonce();
        ExecutorService racers = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> uses = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                SessionNonces node = nodes.get(i % 2);
                uses.add(() -> node.use(nonce, "env-1", "device-1"));
            }
            int won = 0;
            for (Future<Boolean> use : racers.invokeAll(uses)) {
                won += use.get() ? 1 : 0;
            }
            assertEquals(1, won);
        } finally {
            racers.shutdownNow();
        }
    }

    @Test
    void expiredNoncesAreForgottenByTheNextSweep() {
        List<SessionNonces> nodes = twoNodes();
        assertTrue(nodes.get(0).use(nodes.get(0).issue("env-1", "device-1").nonce(), "env-1", "device-1"));
        assertEquals(1, nodes.get(1).spent());
        clock.advance(SessionNonces.LIFETIME.multipliedBy(2));
        assertTrue(nodes.get(1).use(nodes.get(1).issue("env-1", "device-2").nonce(), "env-1", "device-2"));
        assertEquals(1, nodes.get(0).spent(), "the expired one swept, the new one kept");
    }
}
