package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.Database;

/**
 * Large objects' bytes in the database, where every node sharing it reads them: chunks of about
 * 1 MiB keyed by the object's id and the offset of their first byte.
 *
 * <p>An upload registers its new id, then writes each chunk as it arrives, touching its
 * registration, each in a transaction of its own beside the installation's write transactions
 * (the bytes are never all in memory, and the writes of every node do not wait for them). The
 * transaction storing the row claims the bytes by ending the registration, so a row commits only
 * with all of its chunks, which are durable before it. A registration nobody touched for
 * {@link #ABANDONED} is an upload whose row never committed (a crash, a failed store): it goes with
 * its chunks. Row locks order that against a late chunk: a chunk's transaction touches the
 * registration before it writes and fails if it is gone; the removal skips a registration touched
 * meanwhile.
 */
final class DatabaseBlobs implements Blobs {

    static final int CHUNK = 1 << 20;
    /** Far beyond any pause between two chunks of an upload still under way. */
    static final Duration ABANDONED = Duration.ofHours(1);

    private final Database database;
    private final Clock clock;

    DatabaseBlobs(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public Received receive(String id, InputStream in, int inlineLimit, long max) {
        Chunks chunks = new Chunks(id);
        boolean stored = false;
        try {
            Received received = UploadReader.read(in, inlineLimit, max, CHUNK, chunks::begin);
            stored = true;
            return received;
        } catch (IOException e) {
            throw new UncheckedIOException("an upload could not be stored", e);
        } finally {
            if (!stored && chunks.registered) {
                unregister(id);
            }
        }
    }

    @Override
    public void claim(Handle handle, String id) {
        if (!ChunkRows.claim(handle, id)) {
            throw new IllegalStateException("an upload's bytes were removed as abandoned before its row was stored");
        }
    }

    @Override
    public InputStream open(String id, long offset, long size) {
        return new ChunkStream(database, id, offset, size);
    }

    @Override
    public void erase(Handle handle, List<String> ids) {
        ChunkRows.delete(handle, ids);
    }

    /** Hands the erasure to a transaction of its own beside the others; should that fail, it goes once abandoned. */
    @Override
    public void discard(String id) {
        CompletableFuture.runAsync(() -> unregister(id));
    }

    private void unregister(String id) {
        database.inTransactionBeside(handle -> ChunkRows.unregister(handle, id));
    }

    /** At a node's start, other nodes' uploads may be under way: only what was abandoned goes. */
    @Override
    public int removeLeftovers(Function<List<String>, Set<String>> known) {
        return removeAbandoned();
    }

    @Override
    public int removeAbandoned() {
        long before = clock.millis() - ABANDONED.toMillis();
        return database.inTransaction(handle -> ChunkRows.removeUntouchedSince(handle, before));
    }

    /** An upload's chunks, each written in a transaction of its own as it arrives. */
    private final class Chunks implements UploadReader.Sink {

        private final String id;
        private boolean registered;
        /** Where the next chunk begins. */
        private long next;

        Chunks(String id) {
            this.id = id;
        }

        Chunks begin() {
            database.inTransactionBeside(handle -> ChunkRows.register(handle, id, clock.millis()));
            registered = true;
            return this;
        }

        @Override
        public void write(byte[] bytes, int length) {
            long first = next;
            database.inTransactionBeside(handle -> ChunkRows.append(handle, id, first, bytes, length, clock.millis()));
            next += length;
        }
    }
}
