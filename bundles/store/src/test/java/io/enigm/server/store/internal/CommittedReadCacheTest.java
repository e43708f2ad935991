package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.CommittedReadCache;
import io.enigm.server.store.Database;

/** Transaction hooks and the cache built on them, against a real SQLite file and a real PostgreSQL. */
class CommittedReadCacheTest {

    @TempDir
    Path home;

    private Database database;
    private final AtomicInteger loads = new AtomicInteger();

    @BeforeEach
    void open() {
        database = TestDatabases.open(TestDatabases.home(home));
        database.inTransaction(handle -> handle.execute("INSERT INTO environment (id, server_id, name, state,"
                + " created_at) VALUES ('e1', 's1', 'first', 'ACTIVE', 0)"));
    }

    private Optional<String> name(String id) {
        loads.incrementAndGet();
        return database.read(handle -> handle.createQuery("SELECT name FROM environment WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne());
    }

    @Test
    void hooksFollowTheOutcomeOfTheirOwnWork() {
        List<String> events = new ArrayList<>();
        database.inTransaction(handle -> {
            database.afterCommit(() -> events.add("committed " + database.isInTransaction()));
            database.onRollback(() -> events.add("rolled back"));
            events.add("working " + database.isInTransaction());
            return null;
        });
        assertEquals(List.of("working true", "committed false"), events);

        events.clear();
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            database.afterCommit(() -> events.add("committed"));
            database.onRollback(() -> events.add("rolled back"));
            throw new IllegalStateException("abort");
        }));
        assertEquals(List.of("rolled back"), events);

        events.clear();
        database.afterCommit(() -> events.add("no transaction: at once"));
        database.onRollback(() -> events.add("no transaction: never"));
        assertEquals(List.of("no transaction: at once"), events);
        assertFalse(database.isInTransaction());
    }

    @Test
    @EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
    void onADatabaseSharedByNodesEveryReadOutsideAWriteTransactionGoesToTheDatabase() {
        CommittedReadCache<String, String> cache = new CommittedReadCache<>(database, 10);
        assertEquals(Optional.of("first"), cache.get("e1", this::name));
        database.inTransaction(handle -> handle.execute("UPDATE environment SET name = 'changed elsewhere'"));
        assertEquals(Optional.of("changed elsewhere"), cache.get("e1", this::name),
                "a change the cache was not told of, as another node's would be");
        assertEquals(2, loads.get());
    }

    @Test
    @EnabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql")
    void onADatabaseSharedByNodesAWriteTransactionReadsARowOnceUntilItChangesIt() {
        CommittedReadCache<String, String> cache = new CommittedReadCache<>(database, 10);
        database.inTransaction(handle -> {
            assertEquals(Optional.of("first"), cache.get("e1", this::name));
            assertEquals(Optional.of("first"), cache.get("e1", this::name));
            assertEquals(1, loads.get(), "no other node writes while this write transaction runs");
            return null;
        });
        database.inTransaction(handle -> handle.execute("UPDATE environment SET name = 'elsewhere'"));
        database.inTransaction(handle -> {
            assertEquals(Optional.of("elsewhere"), cache.get("e1", this::name),
                    "the next write transaction reads again what another node may have changed");
            assertEquals(2, loads.get());
            cache.invalidate("e1");
            handle.execute("UPDATE environment SET name = 'mine' WHERE id = 'e1'");
            assertEquals(Optional.of("mine"), cache.get("e1", this::name));
            assertEquals(Optional.of("mine"), cache.get("e1", this::name));
            assertEquals(4, loads.get(), "once invalidated, the transaction reads its own change each time");
            return null;
        });
        assertEquals(Optional.of("mine"), cache.get("e1", this::name));
        assertEquals(5, loads.get(), "outside a write transaction every read goes to the database");

        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            cache.invalidate("e1");
            handle.execute("UPDATE environment SET name = 'lost' WHERE id = 'e1'");
            assertEquals(Optional.of("lost"), cache.get("e1", this::name));
            throw new IllegalStateException("abort");
        }));
        database.inTransaction(handle -> {
            assertEquals(Optional.of("mine"), cache.get("e1", this::name), "a rolled-back change is gone");
            return null;
        });
    }

    @Test
    @DisabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql",
            disabledReason = "on a database shared by nodes the cache keeps nothing across transactions")
    void answersFromMemoryUntilACommittedInvalidation() {
        CommittedReadCache<String, String> cache = new CommittedReadCache<>(database, 10);
        assertEquals(Optional.of("first"), cache.get("e1", this::name));
        assertEquals(Optional.of("first"), cache.get("e1", this::name));
        assertEquals(1, loads.get());

        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            cache.invalidate("e1");
            throw new IllegalStateException("abort");
        }));
        assertEquals(Optional.of("first"), cache.get("e1", this::name));
        assertEquals(1, loads.get(), "a rolled-back write changes nothing, so the entry stays");

        database.inTransaction(handle -> {
            cache.invalidate("e1");
            return handle.execute("UPDATE environment SET name = 'second' WHERE id = 'e1'");
        });
        assertEquals(Optional.of("second"), cache.get("e1", this::name));
        assertEquals(2, loads.get());
    }

    @Test
    void neverKeepsWhatItCannotVouchFor() {
        CommittedReadCache<String, String> cache = new CommittedReadCache<>(database, 10);
        assertEquals(Optional.empty(), cache.get("missing", this::name));
        assertEquals(Optional.empty(), cache.get("missing", this::name));
        assertEquals(2, loads.get(), "absent rows are not cached");

        database.inTransaction(handle -> {
            handle.execute("UPDATE environment SET name = 'uncommitted' WHERE id = 'e1'");
            assertEquals(Optional.of("uncommitted"), cache.get("e1", this::name));
            cache.invalidate("e1");
            return null;
        });
        assertEquals(Optional.of("uncommitted"), cache.get("e1", this::name));
        assertEquals(4, loads.get(), "what a transaction reads is never kept");
        assertEquals(Optional.of("uncommitted"), database.read(handle -> cache.get("e1", this::name)));
        assertEquals(5, loads.get(), "a read transaction sees its own snapshot, not the cache");

        // A load that an invalidating commit overtakes returns what it read but is not kept.
        CommittedReadCache<String, String> racing = new CommittedReadCache<>(database, 10);
        assertEquals(Optional.of("uncommitted"), racing.get("e1", id -> {
            Optional<String> read = name(id);
            database.inTransaction(handle -> {
                racing.invalidate("e1");
                return handle.execute("UPDATE environment SET name = 'third' WHERE id = 'e1'");
            });
            return read;
        }));
        assertEquals(Optional.of("third"), racing.get("e1", this::name));
    }

    @Test
    @DisabledIfSystemProperty(named = TestDatabases.ENGINE, matches = "postgresql",
            disabledReason = "on a database shared by nodes the cache keeps nothing across transactions")
    void theWriterUsesCachedRowsUntilItChangesThem() {
        CommittedReadCache<String, String> cache = new CommittedReadCache<>(database, 10);
        assertEquals(Optional.of("first"), cache.get("e1", this::name));
        database.inTransaction(handle -> {
            assertEquals(Optional.of("first"), cache.get("e1", this::name));
            assertEquals(1, loads.get(), "a row this transaction has not touched reads as committed");
            cache.invalidate("e1");
            handle.execute("UPDATE environment SET name = 'mine' WHERE id = 'e1'");
            assertEquals(Optional.of("mine"), cache.get("e1", this::name));
            assertEquals(2, loads.get(), "once invalidated, the transaction reads its own change");
            return null;
        });
        assertEquals(Optional.of("mine"), cache.get("e1", this::name));

        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            cache.invalidateAll();
            handle.execute("UPDATE environment SET name = 'lost' WHERE id = 'e1'");
            assertEquals(Optional.of("lost"), cache.get("e1", this::name));
            throw new IllegalStateException("abort");
        }));
        int before = loads.get();
        database.inTransaction(handle -> cache.get("e1", this::name));
        assertEquals(before, loads.get(), "a rolled-back invalidation leaves no mark behind");
        assertEquals(Optional.of("mine"), cache.get("e1", this::name));
    }

    @Test
    void staysWithinItsCapacity() {
        CommittedReadCache<Integer, Integer> cache = new CommittedReadCache<>(database, 2);
        AtomicInteger calls = new AtomicInteger();
        for (int round = 0; round < 2; round++) {
            for (int key = 0; key < 3; key++) {
                cache.get(key, k -> {
                    calls.incrementAndGet();
                    return Optional.of(k);
                });
            }
        }
        assertTrue(calls.get() > 3, "three keys do not all fit in two places");
        assertThrows(IllegalArgumentException.class, () -> new CommittedReadCache<>(database, 0));
    }
}
