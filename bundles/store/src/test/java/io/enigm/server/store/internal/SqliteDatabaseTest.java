package io.enigm.server.store.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import io.enigm.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class SqliteDatabaseTest {

    @TempDir
    Path home;

    public static StoreConfiguration configuration() {
        return TestDatabases.configuration("");
    }

    private Database open() {
        return TestDatabases.open(TestDatabases.home(home));
    }

    private static long count(Database database, String table) {
        return database.read(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    @Test
    void migratesOnceAndUsesWalWithForeignKeys() {
        Database database = open();
        assertEquals("wal", database.read(h -> h.createQuery("PRAGMA journal_mode").mapTo(String.class).one()));
        assertEquals(Integer.valueOf(1), database.read(h -> h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one()));
        assertEquals(Integer.valueOf(1), database.read(h -> h.createQuery("PRAGMA secure_delete").mapTo(Integer.class).one()));
        // A second start finds the schema applied and applies nothing again.
        Database again = open();
        assertEquals(SchemaMigrator.load().size(), count(again, "schema_version"));
        assertThrows(UnableToExecuteStatementException.class, () -> again.inTransaction(h -> h.execute(
                "INSERT INTO admin_token (id, token_hash, role, environment_id, label, created_at)"
                        + " VALUES ('t', 'h', 'ADMINISTRATOR', 'no-such-environment', 'x', 0)")));
    }

    @Test
    void commitsAreDurableByDefaultOnTheWriterAndEveryReader() {
        StoreConfiguration defaults = TestComponents.configuration(StoreConfiguration.class, Map.of());
        assertTrue(defaults.durableCommits());
        Database database = new SqliteDatabase(TestDatabases.home(home), new SimpleMeterRegistry(), defaults);
        // 2 is FULL: the log is synced at every commit, so an acknowledged write survives power loss.
        assertEquals(Integer.valueOf(2), database.inTransaction(h -> h.createQuery("PRAGMA synchronous")
                .mapTo(Integer.class).one()));
        assertEquals(Integer.valueOf(2), database.read(h -> h.createQuery("PRAGMA synchronous")
                .mapTo(Integer.class).one()));
    }

    @Test
    void nestedWorkJoinsTheOuterTransactionAndRollsBackWithIt() {
        Database database = open();
        assertThrows(IllegalStateException.class, () -> database.inTransaction(outer -> {
            outer.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('e1', 's1', 'n', 'ACTIVE', 0)");
            database.inTransaction(inner -> inner.execute("INSERT INTO environment (id, server_id, name, state,"
                    + " created_at) VALUES ('e2', 's2', 'n', 'ACTIVE', 0)"));
            throw new IllegalStateException("abort");
        }));
        assertEquals(0L, count(database, "environment"));

        database.inTransaction(outer -> database.inTransaction(inner -> inner.execute(
                "INSERT INTO environment (id, server_id, name, state, created_at) VALUES ('e3', 's3', 'n', 'ACTIVE', 0)")));
        assertEquals(1L, count(database, "environment"));
    }

    @Test
    void submittedWorkCompletesOnceDurableAndAFailureFailsOnlyItsOwnFuture() throws Exception {
        Database database = open();
        CompletableFuture<Integer> stored = database.submit(h -> h.execute("INSERT INTO environment (id, server_id,"
                + " name, state, created_at) VALUES ('kept', 's-kept', 'n', 'ACTIVE', 0)"));
        CompletableFuture<Integer> refused = database.submit(h -> {
            h.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                    + " VALUES ('undone', 's-undone', 'n', 'ACTIVE', 0)");
            throw new IllegalStateException("refused");
        });
        assertEquals(1, stored.get(10, TimeUnit.SECONDS));
        ExecutionException failure = assertThrows(ExecutionException.class, () -> refused.get(10, TimeUnit.SECONDS));
        assertEquals("refused", failure.getCause().getMessage());
        assertEquals(1, count(database, "environment"));

        // inside a transaction it joins: complete at once, and rolled back with the work around it
        assertThrows(IllegalStateException.class, () -> database.inTransaction(h -> {
            CompletableFuture<Integer> joined = database.submit(inner -> inner.execute("INSERT INTO environment"
                    + " (id, server_id, name, state, created_at) VALUES ('joined', 's-joined', 'n', 'ACTIVE', 0)"));
            assertTrue(joined.isDone());
            throw new IllegalStateException("the outer work fails");
        }));
        assertEquals(1, count(database, "environment"));
    }

    @Test
    void concurrentWritesCommitTogetherAndAFailingOneTakesNoOtherWithIt() throws Exception {
        Database database = open();
        int threads = 16;
        int perThread = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.List<java.util.concurrent.Future<Integer>> results = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                int stored = 0;
                for (int i = 0; i < perThread; i++) {
                    String id = thread + "-" + i;
                    boolean fail = i % 10 == 0;
                    try {
                        database.inTransaction(h -> {
                            h.execute("INSERT INTO environment (id, server_id, name, state, created_at)"
                                    + " VALUES (?, ?, 'n', 'ACTIVE', 0)", id, "s" + id);
                            if (fail) {
                                throw new IllegalStateException("refused");
                            }
                            return null;
                        });
                        // Acknowledged means committed: a fresh reader sees it at once.
                        assertEquals(1L, (long) database.read(h -> h.createQuery(
                                "SELECT COUNT(*) FROM environment WHERE id = :id").bind("id", id)
                                .mapTo(Long.class).one()));
                        stored++;
                    } catch (IllegalStateException expected) {
                        assertEquals("refused", expected.getMessage());
                    }
                }
                return stored;
            }));
        }
        int stored = 0;
        for (java.util.concurrent.Future<Integer> result : results) {
            stored += result.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertEquals(threads * perThread * 9 / 10, stored);
        assertEquals(stored, count(database, "environment"));
    }

    /**
     * Each piece of work runs in a savepoint whose journal holds the earlier contents of the pages it
     * changes. Spilled to a file, that journal lands in the system's temporary directory, outside the
     * data home and beyond erasure.
     */
    @Test
    void aSavepointJournalStaysInMemory() {
        Path descriptors = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(descriptors), "needs Linux's /proc");
        Database database = open();
        String name = "n".repeat(2_000);
        database.inTransaction(h -> {
            for (int i = 0; i < 100; i++) {
                h.createUpdate("INSERT INTO environment (id, server_id, name, state, created_at)"
                        + " VALUES (:id, :id, :name, 'ACTIVE', 0)").bind("id", "e" + i).bind("name", name).execute();
            }
            return null;
        });
        // one piece of work changing about fifty pages, far past SQLite's 64 KiB spill threshold
        List<String> openDuringWork = database.inTransaction(h -> {
            assertEquals(100, h.execute("UPDATE environment SET name = upper(name)"));
            return openFileNames(descriptors);
        });
        assertEquals(List.of(), openDuringWork.stream().filter(file -> file.contains("etilqs_")).toList(),
                "SQLite's temporary files open inside the write transaction");
        long changed = database.read(h -> h.createQuery("SELECT COUNT(*) FROM environment WHERE name = :name")
                .bind("name", name.toUpperCase(Locale.ROOT)).mapTo(Long.class).one());
        assertEquals(100L, changed);
    }

    private static List<String> openFileNames(Path descriptors) {
        try (var links = Files.list(descriptors)) {
            return links.map(link -> {
                try {
                    return Files.readSymbolicLink(link).toString();
                } catch (IOException e) {
                    return ""; // closed since it was listed
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SQLite fails a statement at run time (here an integer overflow); the same statement runs again later. */
    @Test
    void aStatementThatFailedRunsAgain() {
        Database database = open();
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThrows(UnableToExecuteStatementException.class, () -> database.read(h -> h.createQuery(
                    "SELECT abs(:value)").bind("value", Long.MIN_VALUE).mapTo(Long.class).one()));
            Long read = database.read(h -> h.createQuery("SELECT abs(:value)").bind("value", -5L)
                    .mapTo(Long.class).one());
            assertEquals(5L, read);
            assertThrows(UnableToExecuteStatementException.class, () -> database.inTransaction(h -> h.createQuery(
                    "SELECT abs(:value)").bind("value", Long.MIN_VALUE).mapTo(Long.class).one()));
            Long written = database.inTransaction(h -> h.createQuery("SELECT abs(:value)").bind("value", -5L)
                    .mapTo(Long.class).one());
            assertEquals(5L, written);
        }
    }

    @Test
    void auditRecordsCannotBeChangedOrRemoved() {
        Database database = open();
        database.inTransaction(h -> h.execute("INSERT INTO audit_record (sequence, recorded_at, action, outcome,"
                + " previous_hash, hash) VALUES (1, 0, 'a', 'ALLOWED', '0', '1')"));
        assertThrows(UnableToExecuteStatementException.class,
                () -> database.inTransaction(h -> h.execute("UPDATE audit_record SET action = 'b'")));
        assertThrows(UnableToExecuteStatementException.class,
                () -> database.inTransaction(h -> h.execute("DELETE FROM audit_record")));
        assertEquals(1L, count(database, "audit_record"));
    }

    @Test
    void secretsAreOwnerOnlyAndReplacedAtomically() throws Exception {
        FileDataHome dataHome = new FileDataHome(home);
        Path file = dataHome.writeSecret("owner-token", "s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataHome.secrets())));
        assertArrayEquals("s3cret".getBytes(StandardCharsets.UTF_8), dataHome.readSecret("owner-token").orElseThrow());
        dataHome.writeSecret("owner-token", "n3w".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("n3w".getBytes(StandardCharsets.UTF_8), dataHome.readSecret("owner-token").orElseThrow());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertThrows(IllegalArgumentException.class, () -> dataHome.readSecret("../escape"));
        try (var files = Files.list(dataHome.secrets())) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void splitsScriptsAtStatementEndsButNotInsideTriggers() {
        List<String> statements = SchemaMigrator.statements(
                "CREATE TABLE a (x INTEGER);\n-- note\nCREATE TRIGGER t BEFORE DELETE ON a\nBEGIN\n    SELECT 1;\nEND;\n");
        assertEquals(2, statements.size());
        assertTrue(statements.get(1).contains("SELECT 1;"));
    }
}
