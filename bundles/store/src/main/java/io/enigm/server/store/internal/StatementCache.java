package io.enigm.server.store.internal;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jdbi.v3.core.statement.DefaultStatementBuilder;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.StatementContext;
import org.sqlite.core.CoreStatement;

/**
 * Keeps one connection's prepared statements for reuse. SQLite compiles every statement it is
 * given, and the same few dozen statements run thousands of times a second: compiling and
 * finalizing each time cost more than running most of them. A statement in use is lent out and
 * taken back when Jdbi closes it; SQLite resets a statement before each execution, and a closed
 * result set resets it at once, so a returned statement holds no read snapshot open.
 *
 * <p>One connection is used by one thread at a time, and so is its cache.
 */
final class StatementCache implements StatementBuilder {

    private final StatementBuilder plain = new DefaultStatementBuilder();
    private final int capacity;
    /** Idle statements by SQL, least recently returned first. */
    private final LinkedHashMap<String, PreparedStatement> idle;
    /** Statements lent out, and the SQL they were compiled from. */
    private final Map<Statement, String> lent = new IdentityHashMap<>();

    StatementCache(int capacity) {
        this.capacity = capacity;
        this.idle = new LinkedHashMap<>(capacity * 2, 0.75f, true);
    }

    @Override
    public PreparedStatement create(Connection connection, String sql, StatementContext context) throws SQLException {
        if (context.isReturningGeneratedKeys() || context.isConcurrentUpdatable()) {
            return plain.create(connection, sql, context);
        }
        return lend(connection, sql);
    }

    /** A compiled statement of {@code sql}, lent until {@link #close(Connection, String, Statement)} takes it back. */
    PreparedStatement lend(Connection connection, String sql) throws SQLException {
        PreparedStatement statement = idle.remove(sql);
        if (statement == null || !usable(statement)) {
            statement = connection.prepareStatement(sql);
        }
        lent.put(statement, sql);
        return statement;
    }

    @Override
    public void close(Connection connection, String sql, Statement statement) throws SQLException {
        if (statement == null) {
            return;
        }
        String key = lent.remove(statement);
        if (key == null || !usable(statement) || idle.containsKey(key)) {
            statement.close();
            return;
        }
        idle.put(key, (PreparedStatement) statement);
        if (idle.size() > capacity) {
            Iterator<PreparedStatement> eldest = idle.values().iterator();
            PreparedStatement evicted = eldest.next();
            eldest.remove();
            evicted.close();
        }
    }

    /**
     * Whether {@code statement} can run again. When SQLite fails a statement for any reason but a
     * busy or locked database or a constraint (an integer overflow, a full disk, an I/O error),
     * sqlite-jdbc finalizes it without marking it closed; kept, it would fail every later use of its SQL.
     */
    private static boolean usable(Statement statement) throws SQLException {
        return !statement.isClosed() && !(statement instanceof CoreStatement sqlite && sqlite.pointer.isClosed());
    }

    @Override
    public Statement create(Connection connection, StatementContext context) throws SQLException {
        return plain.create(connection, context);
    }

    @Override
    public CallableStatement createCall(Connection connection, String sql, StatementContext context)
            throws SQLException {
        return plain.createCall(connection, sql, context);
    }

    /** Finalizes every idle statement, when the handle closes and before its connection does. */
    @Override
    public void close(Connection connection) {
        for (PreparedStatement statement : idle.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                // the connection closes next and takes the statement with it
            }
        }
        idle.clear();
    }
}
