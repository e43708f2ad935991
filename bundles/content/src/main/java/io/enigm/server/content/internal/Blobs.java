package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;

import io.enigm.server.common.TooLargeException;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * Where the bytes of objects too large for their row are kept: in the data home's files when one
 * process owns the database ({@link BlobStore}), in the database itself when nodes share it
 * ({@link DatabaseBlobs}), so that every node reads what any node stored. Either way an object's
 * bytes are durable before its row commits, and gone with the transaction that erases the row.
 */
interface Blobs {

    /** The store this installation's database calls for. */
    static Blobs of(Database database, DataHome home) {
        return database.sharedByNodes() ? new DatabaseBlobs(database, Clock.systemUTC())
                : new BlobStore(database, home.directory());
    }

    /**
     * Reads {@code in} to its end: at most {@code inlineLimit} bytes stay in memory; more are stored
     * durably under {@code id}, as they arrive, for the row of {@code id} to {@linkplain #claim claim}.
     *
     * @throws TooLargeException beyond {@code max} bytes; nothing is kept
     */
    Received receive(String id, InputStream in, int inlineLimit, long max);

    /**
     * In the transaction that stores the row of {@code id}: its received bytes become the object's.
     *
     * @throws IllegalStateException if they are gone, removed as abandoned
     */
    void claim(Handle handle, String id);

    /** The bytes of {@code id}, {@code size} in all, from byte {@code offset}. */
    InputStream open(String id, long offset, long size) throws IOException;

    /** In a write transaction: the bytes of {@code ids} are erased with it, and kept if it rolls back. */
    void erase(Handle handle, List<String> ids);

    /** The received bytes of {@code id}, which no row will claim; on the writer thread, so without waiting. */
    void discard(String id);

    /**
     * Removes what a crash left, at this node's start, before it takes uploads: bytes that no row
     * claims ({@code known} answers which of some ids name stored objects).
     *
     * @return how many uploads' bytes were removed
     */
    int removeLeftovers(Function<List<String>, Set<String>> known) throws IOException;

    /**
     * Removes, while uploads go on, the bytes of uploads no node has written for a long while and
     * whose row never committed; on the sweeper's interval.
     *
     * @return how many uploads' bytes were removed
     */
    int removeAbandoned();
}
