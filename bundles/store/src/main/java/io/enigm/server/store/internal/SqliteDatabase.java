package io.enigm.server.store.internal;

import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import io.enigm.server.store.DataHome;
import io.enigm.server.store.Database;

/**
 * The embedded database: one SQLite file in WAL mode under the data home, foreign keys enforced.
 *
 * <p>SQLite allows one writer at a time; writers queue on a fair lock here instead of spinning in
 * SQLite's busy handler, and open their transaction with {@code BEGIN IMMEDIATE} so a transaction
 * never fails half way when it upgrades from reading to writing. Readers run concurrently (WAL).
 */
@Component(service = Database.class, configurationPid = StoreConfiguration.PID)
@Designate(ocd = StoreConfiguration.class)
public class SqliteDatabase implements Database {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);

    private final ThreadLocal<Handle> current = new ThreadLocal<>();
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final Jdbi writer;
    private final Jdbi reader;
    private final Path file;

    @Activate
    public SqliteDatabase(@Reference DataHome home, StoreConfiguration configuration) {
        if (configuration.busyTimeoutMillis() < 0) {
            throw new IllegalArgumentException("busyTimeoutMillis must not be negative");
        }
        this.file = home.directory().resolve(configuration.databaseFile()).normalize();
        if (!file.startsWith(home.directory())) {
            throw new IllegalArgumentException("databaseFile must lie inside the data home");
        }
        this.writer = Jdbi.create(dataSource(configuration, SQLiteConfig.TransactionMode.IMMEDIATE));
        this.reader = Jdbi.create(dataSource(configuration, SQLiteConfig.TransactionMode.DEFERRED));
        int version = SchemaMigrator.migrate(writer);
        LOG.info("Database {} at schema version {} (busy timeout {} ms, durable commits {})",
                file, version, configuration.busyTimeoutMillis(), configuration.durableCommits());
    }

    private SQLiteDataSource dataSource(StoreConfiguration configuration, SQLiteConfig.TransactionMode mode) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(configuration.busyTimeoutMillis());
        config.setSynchronous(configuration.durableCommits()
                ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        config.setTransactionMode(mode);
        // Java-side date handling stays ours: timestamps are stored as epoch milliseconds.
        config.setDateClass(SQLiteConfig.DateClass.INTEGER.getValue());
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return dataSource;
    }

    @Override
    public <R> R inTransaction(Work<R> work) {
        Handle joined = current.get();
        if (joined != null) {
            return work.apply(joined);
        }
        writeLock.lock();
        try (Handle handle = writer.open()) {
            current.set(handle);
            return handle.inTransaction(transaction -> work.apply(transaction));
        } finally {
            current.remove();
            writeLock.unlock();
        }
    }

    @Override
    public <R> R read(Work<R> work) {
        Handle joined = current.get();
        if (joined != null) {
            return work.apply(joined);
        }
        try (Handle handle = reader.open()) {
            current.set(handle);
            return handle.inTransaction(transaction -> work.apply(transaction));
        } finally {
            current.remove();
        }
    }
}
