package io.enigm.server.store.internal;

import java.sql.PreparedStatement;
import java.sql.SQLException;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementBuilder;
import org.jdbi.v3.core.statement.UnableToCreateStatementException;

/**
 * Lends the compiled statements a handle's connection keeps ({@link StatementCache}) to code that
 * runs them below Jdbi. A handle of another origin gets a statement of its own, closed on return.
 */
public final class CachedStatements {

    private CachedStatements() {
    }

    public static PreparedStatement lend(Handle handle, String sql) {
        try {
            StatementBuilder builder = handle.getStatementBuilder();
            return builder instanceof StatementCache cache ? cache.lend(handle.getConnection(), sql)
                    : handle.getConnection().prepareStatement(sql);
        } catch (SQLException e) {
            throw new UnableToCreateStatementException(e, null);
        }
    }

    public static void giveBack(Handle handle, String sql, PreparedStatement statement) {
        try {
            if (handle.getStatementBuilder() instanceof StatementCache cache) {
                cache.close(handle.getConnection(), sql, statement);
            } else {
                statement.close();
            }
        } catch (SQLException e) {
            // a statement that cannot be closed or kept is dropped with its connection
        }
    }
}
