package io.enigm.server.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Handles;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.DelegatingTransactionHandler;
import org.jdbi.v3.core.transaction.TransactionException;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.enigm.server.home.DataHome;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The installation's database on PostgreSQL, shared by every node of the installation.
 *
 * <p>Writes keep the embedded store's shape: one writer per node commits the requests that queued
 * together in one transaction ({@link GroupCommitWriter}), answered once PostgreSQL has made it
 * durable. Every write transaction first takes one transaction-scoped advisory lock, so that the
 * nodes' writers take turns: a transaction then reads what every earlier one committed, on any
 * node, and read-check-write steps (single-use invites, nonces, PIN attempts, the audit chain's
 * next link) stay as correct as with the one SQLite writer, without per-table locking. Reads run
 * concurrently on a HikariCP pool, each in a read-only REPEATABLE READ transaction: one snapshot,
 * as a SQLite read transaction sees.
 */
public final class PostgresDatabase extends GroupCommitDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresDatabase.class);

    /** The advisory lock every write transaction of the installation holds until it commits. */
    static final long WRITE_LOCK = 0x656e69676d575254L;
    /** How long a subscription waits for the listener's LISTEN: its connection may be opening again. */
    private static final long LISTEN_TIMEOUT_SECONDS = 30;

    private final PGSimpleDataSource connections;
    private final HikariDataSource readPool;
    private final Jdbi readers;
    private final GroupCommitWriter writer;
    private final PostgresListener listener;
    private final HikariDataSource besidePool;
    private final Jdbi beside;
    private final WriteLockFirst writeLock;

    public PostgresDatabase(DataHome home, MeterRegistry meters, StoreConfiguration configuration, String url) {
        if (configuration.readConnections() < 1 || configuration.maxBatch() < 1) {
            throw new IllegalArgumentException("readConnections and maxBatch must be positive");
        }
        this.connections = new PGSimpleDataSource();
        connections.setURL(url);
        connections.setUser(configuration.user());
        connections.setPassword(password(home.directory(), configuration.passwordFile()));
        connections.setApplicationName("enigm-server");
        connections.setTcpKeepAlive(true);
        // A statement that waits on a lock longer than the busy timeout fails instead of hanging its request.
        connections.setOptions("-c lock_timeout=" + configuration.busyTimeoutMillis()
                + (configuration.durableCommits() ? "" : " -c synchronous_commit=off"));

        Jdbi migrations = Jdbi.create(connections);
        int version = SchemaMigrator.migrate(migrations, Dialect.POSTGRESQL);

        this.readPool = new HikariDataSource(pool("enigm-readers", configuration.readConnections(), true,
                "TRANSACTION_REPEATABLE_READ"));
        this.readers = Jdbi.create(readPool);
        // A read ends by a rollback of its read-only transaction, never by a commit Jdbi would insist on.
        readers.getConfig(Handles.class).setForceEndTransactions(false);

        Jdbi writes = Jdbi.create(connections);
        this.writeLock = new WriteLockFirst(writes.getTransactionHandler());
        writes.setTransactionHandler(writeLock);
        this.writer = new GroupCommitWriter(() -> openWriter(writes), Dialect.POSTGRESQL, current,
                configuration.maxBatch(), meters);
        this.listener = new PostgresListener(connections, subscribers);
        this.besidePool = new HikariDataSource(pool("enigm-beside-writers", configuration.readConnections(), false,
                "TRANSACTION_READ_COMMITTED"));
        this.beside = Jdbi.create(besidePool);
        LOG.info("Database PostgreSQL {} at schema version {} (durable commits {}, up to {} pooled readers,"
                + " batches up to {})", withoutParameters(url), version, configuration.durableCommits(),
                configuration.readConnections(), configuration.maxBatch());
    }

    private HikariConfig pool(String name, int size, boolean readOnly, String isolation) {
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(connections);
        pool.setPoolName(name);
        pool.setMaximumPoolSize(size);
        pool.setMinimumIdle(Math.min(readOnly ? 2 : 0, size));
        // a read ends by a rollback; a write is begun and committed by Jdbi, which begins none on a connection
        // that is not in auto-commit mode
        pool.setAutoCommit(!readOnly);
        pool.setReadOnly(readOnly);
        pool.setTransactionIsolation(isolation);
        return pool;
    }

    private static Handle openWriter(Jdbi writes) {
        Handle handle = writes.open();
        try {
            handle.getConnection().setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            return handle;
        } catch (SQLException e) {
            handle.close();
            throw new TransactionException(e);
        }
    }

    /**
     * Begins every transaction on the writer's connection with the installation's write lock: the
     * group commit's, and those that work started on the writer opens itself (a record written
     * after its caller's transaction ended, as a refused PIN is). Numbers the transactions holding
     * it, for {@link #sharedWriteTransaction}.
     */
    private static final class WriteLockFirst extends DelegatingTransactionHandler {

        /** The thread whose transaction holds the lock now; written by that thread only. */
        private volatile Thread holder;
        private long transactions;

        WriteLockFirst(TransactionHandler delegate) {
            super(delegate);
        }

        @Override
        public void begin(Handle handle) {
            super.begin(handle);
            takeWriteLock(handle);
            transactions++;
            holder = Thread.currentThread();
        }

        @Override
        public void commit(Handle handle) {
            holder = null;
            super.commit(handle);
        }

        @Override
        public void rollback(Handle handle) {
            holder = null;
            super.rollback(handle);
        }

        long current() {
            return holder == Thread.currentThread() ? transactions : -1;
        }
    }

    @Override
    public long sharedWriteTransaction() {
        return writeLock.current();
    }

    /**
     * Waits for the installation's write lock, held until this transaction ends. Taken first, before
     * anything is read, so that each statement after it sees every write committed before.
     */
    private static void takeWriteLock(Handle handle) {
        PreparedStatement statement = CachedStatements.lend(handle, "SELECT pg_advisory_xact_lock(?)");
        try {
            statement.setLong(1, WRITE_LOCK);
            statement.executeQuery().close();
        } catch (SQLException e) {
            throw new TransactionException(e);
        } finally {
            CachedStatements.giveBack(handle, "SELECT pg_advisory_xact_lock(?)", statement);
        }
    }

    /** The password, from a file under the data home (never from configuration, which the console shows). */
    static String password(Path home, String passwordFile) {
        Path file = home.resolve(passwordFile).normalize();
        if (!file.startsWith(home)) {
            throw new IllegalArgumentException("passwordFile must lie inside the data home");
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the database password from " + file
                    + " (write the PostgreSQL role's password there, owner-only)", e);
        }
    }

    /** The URL as logged: host, port and database, never parameters (a password may be among them). */
    static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** On a pooled connection of its own, without the installation's write lock. */
    @Override
    public <R> R inTransactionBeside(Work<R> work) {
        if (current.get() != null) {
            throw new IllegalStateException("a transaction beside the others begins outside any transaction");
        }
        return beside.inTransaction(handle -> {
            current.set(handle);
            try {
                return work.apply(handle);
            } finally {
                current.remove();
            }
        });
    }

    @Override
    public void close() throws Exception {
        listener.close();
        writer.close();
        besidePool.close();
        readPool.close();
        subscribers.close();
    }

    /**
     * NOTIFY, which PostgreSQL delivers at commit to every node's listener, this one's too, in the
     * order the transactions committed: even this process's subscribers get the message from the
     * database, so that its messages and other nodes' arrive in one order.
     */
    @Override
    public void publish(String channel, String message) {
        Subscribers.checkedChannel(channel);
        Subscribers.checkedMessage(message);
        inTransaction(handle -> handle.createQuery("SELECT pg_notify(:channel, :message)")
                .bind("channel", channel).bind("message", message).mapToMap().one());
    }

    /**
     * Returns once the listener receives the channel's messages, so that none published after this
     * call is missed unnoticed (a listener without a connection reports a gap when it has one again).
     */
    @Override
    public AutoCloseable subscribe(String channel, Consumer<String> subscriber) {
        subscribers.add(channel, subscriber);
        try {
            listener.listen(channel).get(LISTEN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            subscribers.remove(channel, subscriber);
            throw new IllegalStateException("the database listener did not start receiving " + channel, e);
        } catch (InterruptedException e) {
            subscribers.remove(channel, subscriber);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted before the database listener received " + channel, e);
        }
        return () -> subscribers.remove(channel, subscriber);
    }

    @Override
    public boolean sharedByNodes() {
        return true;
    }

    @Override
    protected GroupCommitWriter writer() {
        return writer;
    }

    /**
     * VACUUM: the space of deleted rows becomes free for reuse. PostgreSQL does not overwrite it at
     * once, and its write-ahead log and its backups keep earlier row versions for as long as they are
     * kept (docs/operations.md says what that means for erasure).
     */
    @Override
    public boolean purgeDeleted() {
        if (current.get() != null) {
            throw new IllegalStateException("purgeDeleted runs outside a transaction");
        }
        try (Connection connection = connections.getConnection(); Statement vacuum = connection.createStatement()) {
            vacuum.execute("VACUUM");
            return true;
        } catch (SQLException e) {
            throw new TransactionException(e);
        }
    }

    @Override
    protected Handle lendReader() {
        return readers.open();
    }

    @Override
    protected void giveBackReader(Handle handle) {
        try {
            handle.rollback();
        } finally {
            handle.close();
        }
    }
}
