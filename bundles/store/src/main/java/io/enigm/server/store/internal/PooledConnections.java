package io.enigm.server.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import javax.sql.DataSource;

import org.jdbi.v3.core.ConnectionFactory;

/**
 * Keeps up to {@code size} idle SQLite connections for reuse: opening one (file, WAL index,
 * pragmas) costs far more than the indexed lookups most requests make.
 */
final class PooledConnections implements ConnectionFactory, AutoCloseable {

    private final DataSource dataSource;
    private final BlockingQueue<Connection> idle;

    PooledConnections(DataSource dataSource, int size) {
        this.dataSource = dataSource;
        this.idle = new ArrayBlockingQueue<>(size);
    }

    @Override
    public Connection openConnection() throws SQLException {
        Connection connection = idle.poll();
        return connection != null ? connection : dataSource.getConnection();
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        if (connection.isClosed()) {
            return;
        }
        if (!connection.getAutoCommit()) {
            // Jdbi ends its transactions; a connection left inside one is not reused.
            connection.close();
            return;
        }
        if (!idle.offer(connection)) {
            connection.close();
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            connection.close();
        }
    }
}
