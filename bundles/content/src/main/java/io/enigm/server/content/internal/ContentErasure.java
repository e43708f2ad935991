package io.enigm.server.content.internal;

import java.util.List;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.Database;

/**
 * Erases stored objects inside the caller's write transaction: their rows and recipients with it,
 * their blob files once it is durable. A crash between the two leaves files that no row names,
 * which the content service removes at its next start. The one way the sweeper, a deletion and a
 * deletion job erase.
 */
final class ContentErasure {

    private final Database database;
    private final BlobStore blobs;

    ContentErasure(Database database, BlobStore blobs) {
        this.database = database;
        this.blobs = blobs;
    }

    /** Erases the objects among {@code seqs} that are stored; answers how many there were. */
    int erase(Handle handle, List<Long> seqs) {
        if (seqs.isEmpty()) {
            return 0;
        }
        List<ContentRows.Erasable> stored = ContentRows.erasable(handle, seqs);
        ContentRows.delete(handle, seqs);
        List<String> files = stored.stream().filter(object -> !object.inline()).map(ContentRows.Erasable::id)
                .toList();
        if (!files.isEmpty()) {
            database.afterCommit(() -> files.forEach(blobs::delete));
        }
        return stored.size();
    }
}
