package io.enigm.server.store.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.Database;

/**
 * What both engines share: writes go through one {@link GroupCommitWriter} per node, and work
 * started inside a transaction joins it through the calling thread's current handle.
 */
abstract class GroupCommitDatabase implements Database, AutoCloseable {

    /** The handle of the transaction the calling thread runs in, if any. */
    protected final ThreadLocal<Handle> current = new ThreadLocal<>();
    /** This process's subscribers to message channels. */
    protected final Subscribers subscribers = new Subscribers();

    /** The node's one writer. */
    protected abstract GroupCommitWriter writer();

    @Override
    public <R> R inTransaction(Work<R> work) {
        Handle joined = current.get();
        return joined != null ? work.apply(joined) : writer().submit(work);
    }

    @Override
    public <R> CompletableFuture<R> submit(Work<R> work) {
        Handle joined = current.get();
        if (joined == null) {
            return writer().enqueue(work);
        }
        try {
            return CompletableFuture.completedFuture(work.apply(joined));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean isInTransaction() {
        return current.get() != null;
    }

    @Override
    public boolean inWriteTransaction() {
        return writer().isWriting();
    }

    @Override
    public void afterCommit(Runnable action) {
        writer().afterCommit(action);
    }

    @Override
    public void onRollback(Runnable action) {
        writer().onRollback(action);
    }

    /** Delivers to this process's subscribers only: there is no other process. */
    @Override
    public void publish(String channel, String message) {
        Subscribers.checkedChannel(channel);
        Subscribers.checkedMessage(message);
        afterCommit(() -> subscribers.deliver(channel, message));
    }

    @Override
    public AutoCloseable subscribe(String channel, Consumer<String> subscriber) {
        subscribers.add(channel, subscriber);
        return () -> subscribers.remove(channel, subscriber);
    }

    /** A handle for one read transaction, seeing one snapshot until it is given back. */
    protected abstract Handle lendReader();

    /** Ends the read transaction of a handle {@link #lendReader} lent. */
    protected abstract void giveBackReader(Handle handle);

    @Override
    public <R> R read(Work<R> work) {
        Handle joined = current.get();
        if (joined != null) {
            return work.apply(joined);
        }
        Handle handle = lendReader();
        current.set(handle);
        try {
            return work.apply(handle);
        } finally {
            current.remove();
            giveBackReader(handle);
        }
    }
}
