package io.enigm.server.store.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

class PooledConnectionsTest {

    @TempDir
    Path home;

    private PooledConnections pool;

    @BeforeEach
    void open() {
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + home.resolve("pool.db"));
        pool = new PooledConnections(dataSource, 2, 8);
    }

    @AfterEach
    void close() throws SQLException {
        pool.close();
    }

    @Test
    void theConnectionReturnedLastIsLentFirst() throws SQLException {
        Connection first = pool.openConnection();
        Connection second = pool.openConnection();
        pool.closeConnection(first);
        pool.closeConnection(second);

        assertSame(second, pool.openConnection());
        assertSame(first, pool.openConnection());
    }

    @Test
    void connectionsBeyondThePoolSizeAreClosed() throws SQLException {
        Connection[] lent = {pool.openConnection(), pool.openConnection(), pool.openConnection()};
        for (Connection connection : lent) {
            pool.closeConnection(connection);
        }

        assertTrue(lent[2].isClosed());
        assertFalse(lent[0].isClosed());
        assertFalse(lent[1].isClosed());
    }

    @Test
    void aConnectionLeftInsideATransactionIsClosedNotReused() throws SQLException {
        Connection connection = pool.openConnection();
        connection.setAutoCommit(false);
        pool.closeConnection(connection);

        assertTrue(connection.isClosed());
        assertNotSame(connection, pool.openConnection());
    }
}
