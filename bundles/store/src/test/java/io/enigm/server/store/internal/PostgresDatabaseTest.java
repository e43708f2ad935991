package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.home.DataHome;

/** The PostgreSQL engine on a real server: schema, transactions, and two nodes sharing one database. */
class PostgresDatabaseTest {

    @TempDir
    Path directoryA;
    @TempDir
    Path directoryB;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable database : opened) {
            database.close();
        }
    }

    private PostgresDatabase open(Path directory, String url) {
        DataHome home = TestDatabases.home(directory);
        PostgresDatabase database = (PostgresDatabase) TestDatabases.open(home, url);
        opened.add(database);
        return database;
    }

    private static long count(PostgresDatabase database, String table) {
        return database.read(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
    }

    @Test
    void migratesToTheBaselineOnceEvenWhenTwoNodesStartTogether() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<PostgresDatabase> a = CompletableFuture.supplyAsync(() -> open(directoryA, url), starts);
            CompletableFuture<PostgresDatabase> b = CompletableFuture.supplyAsync(() -> open(directoryB, url), starts);
            PostgresDatabase first = a.get(60, TimeUnit.SECONDS);
            b.get(60, TimeUnit.SECONDS);
            int last = SchemaMigrator.load(Dialect.POSTGRESQL).get(SchemaMigrator.load(Dialect.POSTGRESQL).size() - 1)
                    .version();
            int reached = first.read(h -> h.createQuery("SELECT MAX(version) FROM schema_version")
                    .mapTo(Integer.class).one());
            assertEquals(last, reached);
            assertEquals(SchemaMigrator.load(Dialect.POSTGRESQL).size(), count(first, "schema_version"));
        } finally {
            starts.shutdownNow();
        }
    }

    @Test
    void aFailedPieceOfWorkRollsBackAloneAndTheRestOfItsBatchCommits() {
        PostgresDatabase database = open(directoryA, TestPostgres.shared().newDatabase());
        CompletableFuture<Integer> good = database.submit(h -> h.execute(
                "INSERT INTO webhook_event (event_id, event_created) VALUES ('a', 1)"));
        CompletableFuture<Integer> bad = database.submit(h -> h.execute(
                "INSERT INTO webhook_event (event_id, event_created) VALUES ('a', 2)"));
        assertEquals(1, good.join());
        assertThrows(UnableToExecuteStatementException.class, () -> {
            try {
                bad.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause();
            }
        });
        assertEquals(1, count(database, "webhook_event"));
    }

    @Test
    void auditRowsAreAppendOnlyUnlessRetentionIsPruning() {
        PostgresDatabase database = open(directoryA, TestPostgres.shared().newDatabase());
        database.inTransaction(h -> h.execute("INSERT INTO audit_record (sequence, recorded_at, action, outcome,"
                + " previous_hash, hash) VALUES (1, 1, 'x', 'SUCCESS', 'p', 'h')"));
        assertThrows(UnableToExecuteStatementException.class,
                () -> database.inTransaction(h -> h.execute("UPDATE audit_record SET action = 'y'")));
        assertThrows(UnableToExecuteStatementException.class,
                () -> database.inTransaction(h -> h.execute("DELETE FROM audit_record")));
        database.inTransaction(h -> {
            h.execute("INSERT INTO audit_pruning (id) VALUES (1)");
            h.execute("DELETE FROM audit_record");
            return h.execute("DELETE FROM audit_pruning");
        });
        assertEquals(0, count(database, "audit_record"));
    }

    /**
     * Two nodes increment one counter by read, then write, from many threads: without the
     * installation's write lock, READ COMMITTED would lose increments between the nodes.
     */
    @Test
    void writersOfTwoNodesTakeTurnsSoThatNoReadThenWriteIsLost() throws Exception {
        String url = TestPostgres.shared().newDatabase();
        PostgresDatabase a = open(directoryA, url);
        PostgresDatabase b = open(directoryB, url);
        a.inTransaction(h -> h.execute("INSERT INTO webhook_cursor (id, newest_created) VALUES (1, 0)"));
        int perNode = 300;
        List<CompletableFuture<Integer>> increments = new ArrayList<>();
        for (int i = 0; i < perNode; i++) {
            for (PostgresDatabase node : List.of(a, b)) {
                increments.add(node.submit(h -> {
                    long seen = h.createQuery("SELECT newest_created FROM webhook_cursor").mapTo(Long.class).one();
                    return h.createUpdate("UPDATE webhook_cursor SET newest_created = :next")
                            .bind("next", seen + 1).execute();
                }));
            }
        }
        CompletableFuture.allOf(increments.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        long counted = b.read(h -> h.createQuery("SELECT newest_created FROM webhook_cursor").mapTo(Long.class).one());
        assertEquals(2L * perNode, counted);
    }

    @Test
    void everyTransactionOnTheWriterHoldsTheWriteLockEvenOneBegunAfterACommit() {
        PostgresDatabase database = open(directoryA, TestPostgres.shared().newDatabase());
        String held = "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                + " AND pid = pg_backend_pid()";
        long[] locks = new long[2];
        database.inTransaction(handle -> {
            locks[0] = handle.createQuery(held).mapTo(Long.class).one();
            handle.afterCommit(() -> handle.useTransaction(
                    after -> locks[1] = after.createQuery(held).mapTo(Long.class).one()));
            return null;
        });
        assertEquals(1, locks[0]);
        assertEquals(1, locks[1]);
    }

    @Test
    void aReadSeesOneSnapshotAndWhatAnotherNodeCommittedBeforeIt() {
        String url = TestPostgres.shared().newDatabase();
        PostgresDatabase a = open(directoryA, url);
        PostgresDatabase b = open(directoryB, url);
        a.inTransaction(h -> h.execute("INSERT INTO webhook_event (event_id, event_created) VALUES ('a', 1)"));
        assertEquals(1, count(b, "webhook_event"));
        long[] seen = b.read(h -> {
            long before = h.createQuery("SELECT COUNT(*) FROM webhook_event").mapTo(Long.class).one();
            a.inTransaction(w -> w.execute("INSERT INTO webhook_event (event_id, event_created) VALUES ('b', 2)"));
            long after = h.createQuery("SELECT COUNT(*) FROM webhook_event").mapTo(Long.class).one();
            return new long[] {before, after};
        });
        assertEquals(1, seen[0]);
        assertEquals(1, seen[1], "a read transaction keeps its snapshot");
        assertEquals(2, count(b, "webhook_event"));
    }

    @Test
    void theLoggedUrlKeepsNoParameters() {
        assertEquals("jdbc:postgresql://db:5432/enigm",
                PostgresDatabase.withoutParameters("jdbc:postgresql://db:5432/enigm?password=secret&ssl=true"));
        assertTrue(PostgresDatabase.withoutParameters("jdbc:postgresql://db/enigm").endsWith("/enigm"));
    }
}
