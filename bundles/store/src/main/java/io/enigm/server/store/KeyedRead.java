package io.enigm.server.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import io.enigm.server.store.internal.CachedStatements;

/**
 * A lookup of at most one row by key, for the hottest reads (a member or device by id on every
 * administrative GET): run on a statement its connection keeps compiled, bound by position and
 * read by column index. Through Jdbi's fluent API the same lookup spent more time building,
 * binding and mapping the statement (configuration copies, argument binder lookups, column names
 * fetched per result) than SQLite spent running it.
 *
 * @param <T> what a row becomes
 */
public final class KeyedRead<T> {

    /** Turns the current row into a value, reading its columns by index. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    private final String sql;
    private final RowReader<T> reader;

    /**
     * @param sql    a portable {@code SELECT} with one {@code ?} per key (a string or a number), in
     *               the order of the keys
     * @param reader reads the first row
     */
    public KeyedRead(String sql, RowReader<T> reader) {
        this.sql = sql;
        this.reader = reader;
    }

    /** The first row for {@code keys}, on the handle's connection and inside its transaction. */
    public Optional<T> find(Handle handle, Object... keys) {
        PreparedStatement statement = CachedStatements.lend(handle, sql);
        try {
            for (int i = 0; i < keys.length; i++) {
                statement.setObject(i + 1, keys[i]);
            }
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(reader.read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new UnableToExecuteStatementException(e, null);
        } finally {
            CachedStatements.giveBack(handle, sql, statement);
        }
    }
}
