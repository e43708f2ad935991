package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;

import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

class ReadHandlesTest {

    @TempDir
    Path home;

    private SQLiteDataSource dataSource;
    private ReadHandles pool;

    @BeforeEach
    void open() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + home.resolve("pool.db"));
        pool = new ReadHandles(dataSource, 2, 8);
    }

    @AfterEach
    void close() {
        pool.close();
    }

    @Test
    void theHandleReturnedLastIsLentFirst() {
        Handle first = pool.lend();
        Handle second = pool.lend();
        pool.giveBack(first);
        pool.giveBack(second);

        assertSame(second, pool.lend());
        assertSame(first, pool.lend());
    }

    @Test
    void handlesBeyondThePoolSizeAreClosed() {
        Handle[] lent = {pool.lend(), pool.lend(), pool.lend()};
        for (Handle handle : lent) {
            pool.giveBack(handle);
        }

        assertTrue(lent[2].isClosed());
        assertFalse(lent[0].isClosed());
        assertFalse(lent[1].isClosed());
    }

    @Test
    void aReadSeesOneSnapshotUntilItsHandleIsGivenBack() throws SQLException {
        try (var writer = dataSource.getConnection(); var statement = writer.createStatement()) {
            statement.execute("CREATE TABLE counter (n INTEGER)");
            statement.execute("INSERT INTO counter VALUES (1)");
            Handle reader = pool.lend();
            assertEquals(1, count(reader));

            statement.execute("INSERT INTO counter VALUES (2)");
            assertEquals(1, count(reader), "the same transaction, the same snapshot");

            pool.giveBack(reader);
            Handle again = pool.lend();
            assertSame(reader, again);
            assertEquals(2, count(again), "the next read sees the later commit");
            pool.giveBack(again);
        }
    }

    @Test
    void aHandleWhoseTransactionCannotEndIsClosedNotReused() throws SQLException {
        Handle handle = pool.lend();
        handle.getConnection().setAutoCommit(true);
        pool.giveBack(handle);

        assertTrue(handle.isClosed());
        assertNotSame(handle, pool.lend());
    }

    private static int count(Handle handle) {
        return handle.createQuery("SELECT COUNT(*) FROM counter").mapTo(Integer.class).one();
    }
}
