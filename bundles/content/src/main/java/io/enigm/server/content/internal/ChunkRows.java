package io.enigm.server.content.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/** The SQL of {@code content_upload} and {@code content_chunk}: large objects' bytes in the database. */
final class ChunkRows {

    /** Ids per statement, well below what either engine takes as parameters. */
    private static final int IDS_PER_DELETE = 500;

    private ChunkRows() {
    }

    /** A stored chunk: the offset of its first byte in its object, and its bytes. */
    record Chunk(long first, byte[] bytes) {

        long end() {
            return first + bytes.length;
        }
    }

    /** Registers an upload under its new object id. */
    static int register(Handle handle, String id, long now) {
        return handle.createUpdate("INSERT INTO content_upload (object_id, touched_at) VALUES (:id, :now)")
                .bind("id", id).bind("now", now).execute();
    }

    /**
     * Touches the upload's registration, then stores the first {@code length} of {@code bytes} at
     * {@code first}.
     *
     * @throws IllegalStateException if the registration is gone, removed as abandoned
     */
    static int append(Handle handle, String id, long first, byte[] bytes, int length, long now) {
        if (handle.createUpdate("UPDATE content_upload SET touched_at = :now WHERE object_id = :id")
                .bind("now", now).bind("id", id).execute() == 0) {
            throw new IllegalStateException("an upload was removed as abandoned while it went on");
        }
        return handle.createUpdate("INSERT INTO content_chunk (object_id, first_byte, bytes) VALUES (:id, :first,"
                + " :bytes)").bind("id", id).bind("first", first)
                .bind("bytes", length == bytes.length ? bytes : Arrays.copyOf(bytes, length)).execute();
    }

    /** Ends the upload's registration: its chunks are its stored object's; {@code false} if it was gone. */
    static boolean claim(Handle handle, String id) {
        return handle.createUpdate("DELETE FROM content_upload WHERE object_id = :id").bind("id", id).execute() == 1;
    }

    /** Removes an upload that stores no object, with its chunks. */
    static int unregister(Handle handle, String id) {
        delete(handle, List.of(id));
        return handle.createUpdate("DELETE FROM content_upload WHERE object_id = :id").bind("id", id).execute();
    }

    /** Removes the uploads last touched before {@code before}, with their chunks; answers how many. */
    static int removeUntouchedSince(Handle handle, long before) {
        // RETURNING (SQLite and PostgreSQL alike): what was removed, after waiting for a chunk that touches it
        List<String> ids = handle.createQuery("DELETE FROM content_upload WHERE touched_at < :before"
                + " RETURNING object_id").bind("before", before).mapTo(String.class).list();
        delete(handle, ids);
        return ids.size();
    }

    /** Deletes the chunks of {@code ids}. */
    static void delete(Handle handle, List<String> ids) {
        for (int from = 0; from < ids.size(); from += IDS_PER_DELETE) {
            handle.createUpdate("DELETE FROM content_chunk WHERE object_id IN (<ids>)")
                    .bindList("ids", ids.subList(from, Math.min(ids.size(), from + IDS_PER_DELETE))).execute();
        }
    }

    /** The chunk of {@code id} that holds byte {@code position}, or the last before it. */
    static Optional<Chunk> covering(Handle handle, String id, long position) {
        return handle.createQuery("SELECT first_byte, bytes FROM content_chunk WHERE object_id = :id"
                + " AND first_byte <= :position ORDER BY first_byte DESC LIMIT 1")
                .bind("id", id).bind("position", position)
                .map((rs, ctx) -> new Chunk(rs.getLong(1), rs.getBytes(2))).findOne();
    }
}
