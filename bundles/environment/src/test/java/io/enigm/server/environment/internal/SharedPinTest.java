package io.enigm.server.environment.internal;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.ConfirmationFailedException;
import io.enigm.server.common.RateLimitedException;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestClock;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.store.internal.TestPostgres;

/** Two nodes on one PostgreSQL database count wrong PINs together and are locked together. */
@EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
class SharedPinTest {

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

    @Test
    void fiveWrongPinsSpreadOverTwoNodesLockBoth() {
        String url = TestPostgres.shared().newDatabase();
        List<HashedCriticalOperationPin> nodes = new ArrayList<>();
        for (Path home : List.of(homeA, homeB)) {
            Database database = TestDatabases.open(TestDatabases.home(home), url);
            databases.add(database);
            nodes.add(Fixtures.pin(TestDatabases.home(home), database, clock));
        }
        nodes.get(0).set("271828", null);
        for (int wrong = 0; wrong < 4; wrong++) {
            HashedCriticalOperationPin node = nodes.get(wrong % 2);
            assertThrows(ConfirmationFailedException.class, () -> node.verify("000000"));
        }
        assertThrows(ConfirmationFailedException.class, () -> nodes.get(0).verify("000000"), "the fifth");
        for (HashedCriticalOperationPin node : nodes) {
            assertThrows(RateLimitedException.class, () -> node.verify("271828"), "locked, the right PIN too");
        }
    }
}
