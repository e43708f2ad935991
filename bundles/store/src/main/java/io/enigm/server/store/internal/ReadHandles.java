package io.enigm.server.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;

import javax.sql.DataSource;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;

/**
 * Keeps up to {@code size} idle read handles for reuse, each on a SQLite connection of its own
 * with its compiled statements: opening a connection (file, WAL index, pragmas), compiling its
 * statements and building a Jdbi handle cost far more than the indexed lookups most requests make.
 *
 * <p>Each connection stays in manual-commit mode. A read is one transaction, ended when its handle
 * is given back; the commit that ends it begins the next, deferred, which takes no snapshot and no
 * lock before its first read. Switched to manual commit and back around every read instead, the
 * driver ran four statements per read (begin; commit and begin; commit).
 *
 * <p>The most recently returned handle is lent first. SQLite drops a connection's whole page
 * cache when it begins a read after another connection's commit; lent in turn, every connection
 * paid that once per commit and most reads started cold. Lent last-in first-out, the few
 * connections that concurrent reads need take nearly all of them and share the cost.
 */
final class ReadHandles implements AutoCloseable {

    private final Jdbi jdbi;
    private final BlockingDeque<Handle> idle;

    ReadHandles(DataSource dataSource, int size, int statementsPerConnection) {
        this.jdbi = Jdbi.create(() -> manualCommit(dataSource.getConnection()))
                .setStatementBuilderFactory(connection -> new StatementCache(statementsPerConnection));
        // A handle is closed inside its deferred transaction, which has read nothing: nothing to end.
        jdbi.getConfig(Handles.class).setForceEndTransactions(false);
        this.idle = new LinkedBlockingDeque<>(size);
    }

    private static Connection manualCommit(Connection connection) throws SQLException {
        try {
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
    }

    /** A handle whose reads see one snapshot, taken at its first read, until it is given back. */
    Handle lend() {
        Handle handle = idle.pollFirst();
        return handle != null ? handle : jdbi.open();
    }

    /**
     * Ends the handle's read transaction and keeps the handle for the next read, or closes it. The
     * commit and the next begin run as statements the connection keeps compiled: the driver's own
     * {@code commit()} had SQLite compile and finalize both for every read.
     */
    void giveBack(Handle handle) {
        try {
            run(handle, "COMMIT");
            run(handle, "BEGIN");
        } catch (SQLException e) {
            // a connection that cannot end its transaction is not lent again
            handle.close();
            return;
        }
        if (!idle.offerFirst(handle)) {
            handle.close();
        }
    }

    private static void run(Handle handle, String sql) throws SQLException {
        PreparedStatement statement = CachedStatements.lend(handle, sql);
        try {
            statement.execute();
        } finally {
            CachedStatements.giveBack(handle, sql, statement);
        }
    }

    @Override
    public void close() {
        for (Handle handle = idle.poll(); handle != null; handle = idle.poll()) {
            handle.close();
        }
    }
}
