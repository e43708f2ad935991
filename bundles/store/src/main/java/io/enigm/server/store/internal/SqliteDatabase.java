package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.Set;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import io.enigm.server.home.DataHome;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The embedded database: one SQLite file in WAL mode under the data home, foreign keys enforced.
 *
 * <p>SQLite allows one writer at a time, so writes go through a {@link GroupCommitWriter}: one
 * thread and connection that commit concurrent requests together, durably, before any of them is
 * answered. Readers run concurrently (WAL) on pooled connections.
 */
public class SqliteDatabase extends GroupCommitDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);

    /** More than the distinct statements a busy server runs; each costs a few kilobytes of native memory. */
    private static final int STATEMENTS_PER_CONNECTION = 256;
    /** How long a purge waits for the write lock and for readers of older snapshots. */
    private static final int PURGE_WAIT_MILLIS = 1000;

    private final ReadHandles readers;
    private final GroupCommitWriter writer;
    private final Path file;
    private final int busyTimeoutMillis;

    public SqliteDatabase(DataHome home, MeterRegistry meters, StoreConfiguration configuration) {
        if (configuration.busyTimeoutMillis() < 0 || configuration.readConnections() < 1
                || configuration.maxBatch() < 1) {
            throw new IllegalArgumentException("busyTimeoutMillis must not be negative; readConnections and"
                    + " maxBatch must be positive");
        }
        this.busyTimeoutMillis = configuration.busyTimeoutMillis();
        this.file = home.directory().resolve(configuration.databaseFile()).normalize();
        if (!file.startsWith(home.directory())) {
            throw new IllegalArgumentException("databaseFile must lie inside the data home");
        }
        ownerOnly(file);
        Jdbi writeJdbi = Jdbi.create(dataSource(configuration, SQLiteConfig.TransactionMode.IMMEDIATE))
                .setStatementBuilderFactory(connection -> new StatementCache(STATEMENTS_PER_CONNECTION));
        int version = SchemaMigrator.migrate(writeJdbi, Dialect.SQLITE);
        this.writer = new GroupCommitWriter(writeJdbi::open, Dialect.SQLITE, current, configuration.maxBatch(), meters);
        this.readers = new ReadHandles(dataSource(configuration, SQLiteConfig.TransactionMode.DEFERRED),
                configuration.readConnections(), STATEMENTS_PER_CONNECTION);
        LOG.info("Database {} at schema version {} (busy timeout {} ms, durable commits {}, {} pooled readers,"
                + " batches up to {})", file, version, configuration.busyTimeoutMillis(),
                configuration.durableCommits(), configuration.readConnections(), configuration.maxBatch());
    }

    /**
     * Creates the database file owner-only (0600) before SQLite opens it, and tightens one left by
     * an older version: SQLite creates a new file by the process's umask, but gives its write-ahead
     * log and shared-memory index the mode of the database file.
     */
    private static void ownerOnly(Path file) {
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        try {
            if (!Files.exists(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(ownerOnly));
            }
            for (String suffix : new String[] {"", "-wal", "-shm"}) {
                Path part = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(part)) {
                    Files.setPosixFilePermissions(part, ownerOnly);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the database file " + file, e);
        }
    }

    private SQLiteDataSource dataSource(StoreConfiguration configuration, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        // Erased rows are overwritten in the file too, so erasure does not linger in free pages.
        config.setPragma(SQLiteConfig.Pragma.SECURE_DELETE, "true");
        // Savepoint journals and temporary tables stay in memory. Otherwise the journal of a piece of
        // work that changes more than 16 pages spills into a file in the system's temporary directory:
        // most of the writer's disk writes, and copies of rows outside the data home, beyond erasure.
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setBusyTimeout(configuration.busyTimeoutMillis());
        config.setSynchronous(configuration.durableCommits()
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(mode);
        // Nothing here asks for generated keys; left on, the driver runs and compiles an extra
        // SELECT last_insert_rowid() after every INSERT.
        config.setGetGeneratedKeys(false);
        // Java-side date handling stays ours: timestamps are stored as epoch milliseconds.
        config.setDateClass(SQLiteConfig.DateClass.INTEGER.getValue());
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    @Override
    public void close() throws Exception {
        writer.close();
        readers.close();
        subscribers.close();
    }

    @Override
    protected GroupCommitWriter writer() {
        return writer;
    }

    /**
     * A TRUNCATE checkpoint: with secure_delete the pages written back carry zeros where deleted
     * rows were, and the write-ahead log, which still holds the pages as they were before, is cut to
     * nothing. Run on a pooled reader, taken out of its transaction meanwhile; it takes the write
     * lock for the copy, so the writer waits for it as for any other lock.
     */
    @Override
    public boolean purgeDeleted() {
        if (current.get() != null) {
            throw new IllegalStateException("purgeDeleted runs outside a transaction");
        }
        Handle handle = readers.lend();
        try {
            handle.getConnection().setAutoCommit(true);
            // The checkpoint holds the write lock while it waits for readers: wait briefly, so that
            // writes are never held up for long; the caller tries again later.
            handle.execute("PRAGMA busy_timeout = " + PURGE_WAIT_MILLIS);
            try {
                // columns: busy (1 when a reader or writer held the log), log frames, checkpointed frames
                return handle.createQuery("PRAGMA wal_checkpoint(TRUNCATE)")
                        .map((rs, ctx) -> rs.getInt(1) == 0)
                        .one();
            } finally {
                handle.execute("PRAGMA busy_timeout = " + busyTimeoutMillis);
                handle.getConnection().setAutoCommit(false);
            }
        } catch (SQLException e) {
            throw new TransactionException(e);
        } finally {
            readers.giveBack(handle);
        }
    }

    @Override
    protected Handle lendReader() {
        return readers.lend();
    }

    @Override
    protected void giveBackReader(Handle handle) {
        readers.giveBack(handle);
    }
}
