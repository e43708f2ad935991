package io.enigm.server.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;

import javax.sql.DataSource;

import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilderFactory;

/**
 * Keeps up to {@code size} idle SQLite connections for reuse, each with its compiled statements:
 * opening one (file, WAL index, pragmas) and compiling its statements costs far more than the
 * indexed lookups most requests make.
 *
 * <p>The most recently returned connection is lent first. SQLite drops a connection's whole page
 * cache when it begins a read after another connection's commit; lent in turn, every connection
 * paid that once per commit and most reads started cold. Lent last-in first-out, the few
 * connections that concurrent reads need take nearly all of them and share the cost.
 */
final class PooledConnections implements ConnectionFactory, StatementBuilderFactory, AutoCloseable {

    private final DataSource dataSource;
    private final BlockingDeque<Connection> idle;
    private final int statementsPerConnection;
    private final Map<Connection, StatementCache> statements = new ConcurrentHashMap<>();

    PooledConnections(DataSource dataSource, int size, int statementsPerConnection) {
        this.dataSource = dataSource;
        this.idle = new LinkedBlockingDeque<>(size);
        this.statementsPerConnection = statementsPerConnection;
    }

    @Override
    public Connection openConnection() throws SQLException {
        Connection connection = idle.pollFirst();
        return connection != null ? connection : dataSource.getConnection();
    }

    @Override
    public StatementBuilder createStatementBuilder(Connection connection) {
        return statements.computeIfAbsent(connection, opened -> new StatementCache(statementsPerConnection, true));
    }

    @Override
    public void closeConnection(Connection connection) throws SQLException {
        if (connection.isClosed()) {
            forget(connection);
            return;
        }
        // Jdbi ends its transactions; a connection left inside one is not reused.
        if (!connection.getAutoCommit() || !idle.offerFirst(connection)) {
            forget(connection);
            connection.close();
        }
    }

    private void forget(Connection connection) {
        StatementCache cache = statements.remove(connection);
        if (cache != null) {
            cache.clear();
        }
    }

    @Override
    public void close() throws SQLException {
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            forget(connection);
            connection.close();
        }
    }
}
