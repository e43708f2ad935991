package io.enigm.server.store;

import java.util.concurrent.CompletableFuture;

import org.jdbi.v3.core.Handle;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Transactions over the installation's database.
 *
 * <p>Work runs in one transaction on one connection. A call made while the current thread is
 * already inside {@link #inTransaction} joins that transaction, so a service method and the audit
 * record of the request that called it commit or roll back together. Callers write portable SQL;
 * dialect details stay in the store bundle (its migrations, {@link BatchDeletes}).
 */
@ProviderType
public interface Database {

    /** Work done with the transaction's handle. */
    @FunctionalInterface
    interface Work<R> {
        R apply(Handle handle);
    }

    /**
     * Runs {@code work} in a transaction that commits when it returns and rolls back when it throws.
     * The commit is durable when this method returns.
     */
    <R> R inTransaction(Work<R> work);

    /**
     * Queues {@code work} for the next write transaction without waiting for it: the future
     * completes once that transaction is durable, or fails as {@link #inTransaction} would throw.
     * Inside a transaction the work joins it and the future is already complete. The future's
     * dependent actions run on the writer thread, so they must only hand off (for example to an
     * HTTP container's threads), never block or do slow work.
     */
    <R> CompletableFuture<R> submit(Work<R> work);

    /**
     * Makes what committed deletions removed unrecoverable from the data home's files: every
     * committed change moves into the database file, where freed space is overwritten with zeros,
     * and the journal of earlier versions of the changed pages is emptied. Waits briefly for
     * readers still on an older snapshot, holding up writes meanwhile. Costly next to a write: call
     * it after erasures, not per request.
     *
     * @return whether it completed; {@code false} when a reader held on to an older snapshot and
     *         the call should be repeated later
     * @throws IllegalStateException inside a transaction, whose own changes are not yet committed
     */
    boolean purgeDeleted();

    /**
     * Runs {@code work} in a write transaction of its own, called outside any transaction, that does
     * not take its turn among the installation's write transactions: on a database shared by nodes
     * it runs beside them, on a connection of its own, and commits durably before this method
     * returns. For rows that no ordinary transaction depends on until one names them, such as the
     * chunks of an upload under its new id: whatever else such work touches, it must order by row
     * locks itself, and it must never change a row a {@link CommittedReadCache} keeps, since a write
     * transaction of the installation trusts such rows not to change while it holds its turn.
     * Elsewhere it is a write transaction like any other.
     */
    default <R> R inTransactionBeside(Work<R> work) {
        return inTransaction(work);
    }

    /** Runs read-only {@code work}, joining the current transaction if there is one. */
    <R> R read(Work<R> work);

    /**
     * Whether the calling thread runs inside {@link #read} or {@link #inTransaction} work, whose
     * view is its own snapshot, or its own uncommitted writes, rather than the latest commit.
     */
    boolean isInTransaction();

    /**
     * Whether other processes (the other nodes of an installation on PostgreSQL) write to this
     * database too. Then what one process keeps beside the database (caches, counters, a chain's
     * last link) may be out of date at any time: read it from the database, inside the transaction
     * that depends on it. Write transactions of all nodes still run one at a time, so a write
     * transaction reads everything committed before it, on any node.
     */
    default boolean sharedByNodes() {
        return false;
    }

    /**
     * On a database {@linkplain #sharedByNodes shared by nodes}, inside a write transaction: a number
     * that no earlier write transaction of this process had, the same for all the work committed
     * together in it. What such a transaction read may be kept and used again without reading it
     * while this answers the same number, as no other node writes until the transaction ends.
     * Elsewhere (outside a write transaction, or on a database of one process) {@code -1}.
     */
    default long sharedWriteTransaction() {
        return -1;
    }

    /**
     * Sends {@code message} on {@code channel} to the subscribers of every process of the
     * installation (every node on a shared database; this process otherwise), once the current write
     * transaction commits, and never if it rolls back; outside a write transaction, at once. Every
     * subscriber gets the messages of one channel in the order their transactions committed.
     *
     * @param channel a plain SQL identifier
     * @param message at most 4,000 characters; no secrets, no content (the database server may log it)
     */
    void publish(String channel, String message);

    /**
     * Calls {@code subscriber}, on a thread of the store's, with every message {@linkplain #publish
     * published} on {@code channel} from now on, until the returned subscription is closed. The
     * subscriber must only hand off. On a shared database, messages sent while this process's
     * connection to it was lost are missed; the subscriber is then called with {@code null}, so that it
     * can catch up from the database.
     */
    AutoCloseable subscribe(String channel, java.util.function.Consumer<String> subscriber);

    /** Whether the calling thread runs inside {@link #inTransaction} work, on the one writer. */
    boolean inWriteTransaction();

    /**
     * Runs {@code action} once the current write transaction is durable (before its caller is
     * answered); outside a write transaction, at once. For state kept beside the database, such as
     * caches, that must change only with what is committed. A failing action is logged, not thrown.
     */
    void afterCommit(Runnable action);

    /**
     * Runs {@code action} if the current write transaction's work is rolled back, so state kept
     * beside the database can follow; outside a write transaction there is nothing to undo.
     */
    void onRollback(Runnable action);
}
