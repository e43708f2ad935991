package io.enigm.server.content.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

import io.enigm.server.store.Database;

/**
 * An object's bytes read from its chunks in the database, from an offset: one chunk in memory at a
 * time, each read in a short read transaction of its own, so a slow client holds no connection.
 */
final class ChunkStream extends InputStream {

    private final Database database;
    private final String id;
    private final long size;
    private long position;
    private byte[] chunk = new byte[0];
    /** Where the next byte to read lies in {@link #chunk}. */
    private int index;

    ChunkStream(Database database, String id, long offset, long size) {
        this.database = database;
        this.id = id;
        this.position = offset;
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        if (length == 0) {
            return 0;
        }
        if (index == chunk.length) {
            if (position >= size) {
                return -1;
            }
            load();
        }
        int n = Math.min(length, chunk.length - index);
        System.arraycopy(chunk, index, bytes, offset, n);
        index += n;
        position += n;
        return n;
    }

    private void load() throws IOException {
        ChunkRows.Chunk found = database.read(handle -> ChunkRows.covering(handle, id, position)).orElse(null);
        if (found == null || found.end() <= position) {
            throw new IOException("an object's bytes end early: it was erased while it was read");
        }
        chunk = found.bytes();
        index = (int) (position - found.first());
    }
}
