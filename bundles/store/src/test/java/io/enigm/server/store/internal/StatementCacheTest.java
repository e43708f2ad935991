package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.result.ResultIterator;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.store.Database;

class StatementCacheTest {

    private static final String BY_ID = "SELECT id FROM environment WHERE id = :id";

    @TempDir
    Path home;

    /** Collects the JDBC statements Jdbi ran, to tell a reused one from a newly compiled one. */
    private static final class Seen implements StatementCustomizer {
        final List<PreparedStatement> statements = new ArrayList<>();

        @Override
        public void beforeExecution(PreparedStatement statement, StatementContext context) {
            statements.add(statement);
        }
    }

    private static void insertEnvironment(Handle handle, String id) {
        handle.createUpdate("INSERT INTO environment (id, name, server_id, state, created_at)"
                + " VALUES (:id, :id, :id, 'ACTIVE', 0)").bind("id", id).execute();
    }

    @Test
    void aStatementRunAgainOnTheSameConnectionIsNotCompiledAgain() {
        Database database = TestDatabases.open(TestDatabases.home(home));
        Seen seen = new Seen();
        for (int i = 0; i < 3; i++) {
            database.read(handle -> handle.createQuery(BY_ID).bind("id", "none").addCustomizer(seen)
                    .mapTo(String.class).findOne());
            database.inTransaction(handle -> handle.createQuery(BY_ID).bind("id", "none").addCustomizer(seen)
                    .mapTo(String.class).findOne());
        }
        // one reader connection (the reads run one after another) and the writer: two statements
        assertSame(seen.statements.get(0), seen.statements.get(2));
        assertSame(seen.statements.get(0), seen.statements.get(4));
        assertSame(seen.statements.get(1), seen.statements.get(3));
        assertSame(seen.statements.get(1), seen.statements.get(5));
        assertNotSame(seen.statements.get(0), seen.statements.get(1));
    }

    @Test
    void aStatementStillInUseIsNotLentTwice() {
        Database database = TestDatabases.open(TestDatabases.home(home));
        database.inTransaction(handle -> {
            insertEnvironment(handle, "env-a");
            insertEnvironment(handle, "env-b");
            return null;
        });
        Seen seen = new Seen();
        List<String> pairs = database.read(handle -> {
            List<String> found = new ArrayList<>();
            try (ResultIterator<String> outer = handle.createQuery("SELECT id FROM environment ORDER BY id")
                    .addCustomizer(seen).mapTo(String.class).iterator()) {
                while (outer.hasNext()) {
                    String id = outer.next();
                    found.add(id + "=" + handle.createQuery(BY_ID).bind("id", id).addCustomizer(seen)
                            .mapTo(String.class).one());
                    // the same SQL while the first result set is open: a second statement
                    try (ResultIterator<String> inner = handle.createQuery("SELECT id FROM environment ORDER BY id")
                            .addCustomizer(seen).mapTo(String.class).iterator()) {
                        assertEquals("env-a", inner.next());
                    }
                }
            }
            return found;
        });
        assertEquals(List.of("env-a=env-a", "env-b=env-b"), pairs);
        assertNotSame(seen.statements.get(0), seen.statements.get(2), "the outer query was still open");
        // and the statements given back answer the next read correctly
        assertEquals(List.of("env-a", "env-b"), database.read(handle -> handle.createQuery(
                "SELECT id FROM environment ORDER BY id").mapTo(String.class).list()));
    }

    @Test
    void aStatementThatFailedWorksWhenUsedAgain() {
        Database database = TestDatabases.open(TestDatabases.home(home));
        database.inTransaction(handle -> {
            insertEnvironment(handle, "env-a");
            return null;
        });
        assertThrows(UnableToExecuteStatementException.class, () -> database.inTransaction(handle -> {
            insertEnvironment(handle, "env-a");
            return null;
        }));
        database.inTransaction(handle -> {
            insertEnvironment(handle, "env-b");
            return null;
        });
        int stored = database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM environment")
                .mapTo(Integer.class).one());
        assertEquals(2, stored);
    }

    @Test
    void theLeastRecentlyUsedStatementIsFinalizedBeyondCapacityAndAllWhenTheHandleCloses() throws SQLException {
        Jdbi jdbi = Jdbi.create("jdbc:sqlite:" + home.resolve("cache.db"));
        try (Handle handle = jdbi.open()) {
            Connection connection = handle.getConnection();
            StatementContext context = handle.createQuery("SELECT 1").getContext();
            StatementCache cache = new StatementCache(2);
            PreparedStatement one = cache.create(connection, "SELECT 1", context);
            PreparedStatement two = cache.create(connection, "SELECT 2", context);
            PreparedStatement three = cache.create(connection, "SELECT 3", context);
            cache.close(connection, "SELECT 1", one);
            cache.close(connection, "SELECT 2", two);
            assertSame(one, cache.create(connection, "SELECT 1", context), "kept and lent again");
            cache.close(connection, "SELECT 1", one);
            cache.close(connection, "SELECT 3", three);
            assertTrue(two.isClosed(), "the least recently returned one made room");
            assertFalse(one.isClosed());

            cache.close(connection);
            assertTrue(one.isClosed() && three.isClosed(), "the handle's close finalizes all");
        }
    }
}
