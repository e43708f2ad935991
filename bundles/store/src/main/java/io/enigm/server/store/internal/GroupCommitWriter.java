package io.enigm.server.store.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.transaction.TransactionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.store.Database.Work;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The database's one writer. Write transactions queue here and run on one thread, on one
 * connection; whatever queued while a commit was under way runs together in the next
 * transaction, each piece of work in a savepoint of its own, and one durable commit
 * acknowledges them all. Throughput then grows with the number of concurrent writers instead of
 * being capped by one disk sync per request, and no caller is answered before its data is durable.
 */
final class GroupCommitWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final Supplier<Handle> connect;
    private final Dialect dialect;
    /** Replaced after a failed transaction if its connection was lost (see {@link #reconnectIfLost}). */
    private Handle handle;
    /** Replaced after a failed transaction (see {@link #renewSavepoint}). */
    private Savepoint savepoint;
    private final ThreadLocal<Handle> current;
    private final int maxBatch;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** The work the writer thread runs now; read and written on that thread only. */
    private Pending<?> inProgress;

    /** One caller's work; its outcome is held back until the transaction it ran in is durable. */
    private static final class Pending<R> {
        private final Work<R> work;
        private final CompletableFuture<R> result = new CompletableFuture<>();
        private final List<Runnable> afterCommit = new ArrayList<>(0);
        private final List<Runnable> onRollback = new ArrayList<>(0);
        private R value;
        private Throwable failure;

        Pending(Work<R> work) {
            this.work = work;
        }

        void run(Handle handle, Savepoint savepoint) {
            savepoint.next();
            try {
                value = work.apply(handle);
            } catch (RuntimeException | Error e) {
                failure = e;
                savepoint.rollBack();
                rolledBack();
            }
        }

        void rolledBack() {
            afterCommit.clear();
            runAll(onRollback);
        }

        void complete() {
            runAll(afterCommit);
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }

        void fail(Throwable reason) {
            if (failure == null) {
                rolledBack();
            }
            result.completeExceptionally(reason);
        }

        private static void runAll(List<Runnable> hooks) {
            for (Runnable hook : hooks) {
                try {
                    hook.run();
                } catch (RuntimeException e) {
                    LOG.error("A transaction hook failed: {}", e.getClass().getName());
                }
            }
            hooks.clear();
        }
    }

    /**
     * The savepoint around each piece of work, as statements compiled once: Jdbi's savepoint calls
     * have SQLite compile each statement anew, three times for every piece of work. A piece of work
     * that succeeded keeps its savepoint until the next one begins (one statement ends it and sets
     * the next, on PostgreSQL one round trip instead of two) or the commit ends it with the rest.
     */
    private static final class Savepoint implements AutoCloseable {
        private final PreparedStatement set;
        private final PreparedStatement release;
        private final PreparedStatement rollBack;
        /** PostgreSQL runs both in one round trip; SQLite prepares one statement at a time. */
        private final PreparedStatement releaseAndSet;
        /** Whether the last piece of work's savepoint is still set. */
        private boolean held;

        Savepoint(Connection connection, Dialect dialect) throws SQLException {
            set = connection.prepareStatement("SAVEPOINT work");
            release = connection.prepareStatement("RELEASE work");
            rollBack = connection.prepareStatement("ROLLBACK TO work");
            releaseAndSet = dialect == Dialect.POSTGRESQL
                    ? connection.prepareStatement("RELEASE work; SAVEPOINT work") : null;
        }

        /** Sets the savepoint of the next piece of work, ending the last one's if it is still set. */
        void next() {
            if (!held) {
                run(set);
            } else if (releaseAndSet != null) {
                run(releaseAndSet);
            } else {
                run(release);
                run(set);
            }
            held = true;
        }

        /** Undoes the work and ends its savepoint, leaving the transaction open for the rest of the batch. */
        void rollBack() {
            run(rollBack);
            run(release);
            held = false;
        }

        /** The transaction ended, and every savepoint with it. */
        void ended() {
            held = false;
        }

        private static void run(PreparedStatement statement) {
            try {
                statement.execute();
            } catch (SQLException e) {
                throw new TransactionException(e);
            }
        }

        @Override
        public void close() throws SQLException {
            try (set; release; rollBack; releaseAndSet) {
                // closed in reverse order, each even if another fails
            }
        }
    }

    private final Timer commits;
    private final Timer failedCommits;
    private final DistributionSummary batchSizes;

    /** @param connect opens the writer's connection, at once and again if it is lost */
    GroupCommitWriter(Supplier<Handle> connect, Dialect dialect, ThreadLocal<Handle> current, int maxBatch,
            MeterRegistry meters) {
        this.connect = connect;
        this.dialect = dialect;
        this.handle = connect.get();
        this.commits = Timer.builder("enigm.store.commit")
                .description("Write transactions, from begin to durable commit or rollback, by outcome")
                .tag("outcome", "committed").register(meters);
        this.failedCommits = Timer.builder("enigm.store.commit").tag("outcome", "failed").register(meters);
        this.batchSizes = DistributionSummary.builder("enigm.store.commit.batch")
                .description("Pieces of work committed together in one write transaction").baseUnit("requests")
                .register(meters);
        try {
            this.savepoint = new Savepoint(handle.getConnection(), dialect);
        } catch (SQLException e) {
            throw new TransactionException(e);
        }
        this.current = current;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, "enigm-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code work} in the next transaction and returns once that transaction is durable. */
    <R> R submit(Work<R> work) {
        CompletableFuture<R> result = enqueue(work);
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Queues {@code work} for the next transaction; the future completes once that transaction is durable. */
    <R> CompletableFuture<R> enqueue(Work<R> work) {
        if (!running) {
            return CompletableFuture.failedFuture(new IllegalStateException("the database is closed"));
        }
        Pending<R> pending = new Pending<>(work);
        queue.add(pending);
        return pending.result;
    }

    /** Whether the calling thread runs inside a write transaction. */
    boolean isWriting() {
        return Thread.currentThread() == thread && inProgress != null;
    }

    /** Runs {@code hook} after the current work's transaction is durable, or at once outside a write transaction. */
    void afterCommit(Runnable hook) {
        if (isWriting()) {
            inProgress.afterCommit.add(hook);
        } else {
            hook.run();
        }
    }

    /** Runs {@code hook} if the current work is rolled back; outside a write transaction there is nothing to undo. */
    void onRollback(Runnable hook) {
        if (isWriting()) {
            inProgress.onRollback.add(hook);
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                batch.clear();
            }
        }
        failPending(new IllegalStateException("the database is closed"));
    }

    private void commit(List<Pending<?>> batch) {
        current.set(handle);
        long started = System.nanoTime();
        batchSizes.record(batch.size());
        try {
            handle.begin();
            for (Pending<?> pending : batch) {
                inProgress = pending;
                pending.run(handle, savepoint);
            }
            inProgress = null;
            handle.commit();
        } catch (RuntimeException e) {
            // The transaction itself failed (disk full, I/O error): none of the batch was stored.
            LOG.error("Write transaction of {} requests failed: {}", batch.size(), e.getClass().getName());
            try {
                handle.rollback();
            } catch (RuntimeException rollbackFailure) {
                LOG.error("Rollback failed: {}", rollbackFailure.getClass().getName());
            }
            reconnectIfLost();
            renewSavepoint();
            failedCommits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            batch.forEach(pending -> pending.fail(e));
            return;
        } finally {
            inProgress = null;
            savepoint.ended();
            current.remove();
        }
        commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        batch.forEach(Pending::complete);
    }

    /**
     * Prepares the savepoint statements afresh after a failed transaction. When the file cannot grow
     * (a full disk), SQLite rolls the whole transaction back and the savepoint's statements fail with
     * it; sqlite-jdbc finalizes a failed statement, so kept, they would fail every later write. (The
     * statement cache drops such statements by itself.)
     */
    private void renewSavepoint() {
        Savepoint failed = savepoint;
        try {
            savepoint = new Savepoint(handle.getConnection(), dialect);
        } catch (SQLException e) {
            LOG.error("Could not prepare the savepoint statements again: {}", e.getClass().getName());
            return;
        }
        try {
            failed.close();
        } catch (SQLException e) {
            // replaced already; the connection finalizes them when it closes
        }
    }

    /**
     * Opens a new connection when the failed transaction's was lost (a database server restarted or
     * a network cut); an embedded file's connection stays, whatever failed.
     */
    private void reconnectIfLost() {
        try {
            if (handle.getConnection().isValid(1)) {
                return;
            }
        } catch (SQLException e) {
            // judged lost, like an invalid one
        }
        try {
            handle.close();
        } catch (RuntimeException e) {
            // a lost connection may fail to close; it is dropped either way
        }
        try {
            handle = connect.get();
            LOG.warn("The writer's database connection was lost and has been opened again");
        } catch (RuntimeException e) {
            LOG.error("The writer could not connect to the database again: {}", e.getClass().getName());
        }
    }

    private void failPending(RuntimeException reason) {
        for (Pending<?> pending = queue.poll(); pending != null; pending = queue.poll()) {
            pending.fail(reason);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        handle.close();
    }
}
