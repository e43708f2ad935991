package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.BatchDeletes;
import io.enigm.server.store.BatchDeletion;
import io.enigm.server.store.Database;

/** A batch deletes at most its limit of matching rows, names their environments and unlinks referrers first. */
class StoreBatchDeletesTest {

    @TempDir
    Path home;

    private Database database;
    private BatchDeletes deletes;

    @BeforeEach
    void open() {
        database = TestDatabases.open(TestDatabases.home(home));
        deletes = TestDatabases.batchDeletes(database);
        database.inTransaction(handle -> {
            handle.execute("CREATE TABLE thing (id TEXT PRIMARY KEY, environment_id TEXT NOT NULL, age INTEGER NOT NULL)");
            handle.execute("CREATE TABLE pointer (id TEXT PRIMARY KEY, thing_id TEXT REFERENCES thing (id))");
            handle.execute("INSERT INTO thing VALUES ('a', 'e1', 1), ('b', 'e1', 2), ('c', 'e1', 9), ('d', 'e2', 1),"
                    + " ('e', 'e2', 9)");
            handle.execute("INSERT INTO pointer VALUES ('p1', 'a'), ('p2', 'c')");
            return null;
        });
    }

    private BatchDeletion old(int limit) {
        return new BatchDeletion("thing", "age < :max", Map.of("max", 5), limit,
                List.of(new BatchDeletion.Referrer("pointer", "thing_id")));
    }

    private List<String> remaining(String sql) {
        return database.read(handle -> handle.createQuery(sql).mapTo(String.class).list());
    }

    @Test
    void eachBatchDeletesAtMostItsLimitAndNamesTheEnvironmentOfEveryRowDeleted() {
        assertEquals(List.of("e1", "e1"), deletes.delete(old(2)));
        assertEquals(List.of("c", "d", "e"), remaining("SELECT id FROM thing ORDER BY id"));
        assertEquals(List.of("e2"), deletes.delete(old(2)), "fewer than the limit: nothing more matched");
        assertEquals(List.of(), deletes.delete(old(2)));
        assertEquals(List.of("c", "e"), remaining("SELECT id FROM thing ORDER BY id"));
    }

    @Test
    void referrersOfDeletedRowsAreUnlinkedAndKeepTheirOwnRows() {
        deletes.delete(old(10));
        assertEquals(List.of("p1", "p2"), remaining("SELECT id FROM pointer ORDER BY id"));
        assertEquals(List.of("p2"), remaining("SELECT id FROM pointer WHERE thing_id IS NOT NULL"));
    }

    @Test
    void aBatchJoinsTheCallersTransactionAndRollsBackWithIt() {
        assertThrows(IllegalStateException.class, () -> database.inTransaction(handle -> {
            deletes.delete(old(10));
            throw new IllegalStateException("the caller fails after the batch");
        }));
        assertEquals(List.of("a", "b", "c", "d", "e"), remaining("SELECT id FROM thing ORDER BY id"));
    }

    @Test
    void namesWrittenIntoStatementsMustBePlainIdentifiers() {
        assertThrows(IllegalArgumentException.class, () -> new BatchDeletion("thing; DROP TABLE thing", "1 = 1",
                Map.of(), 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new BatchDeletion.Referrer("pointer", "thing_id = 1 --"));
    }
}
