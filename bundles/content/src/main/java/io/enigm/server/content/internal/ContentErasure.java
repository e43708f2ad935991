package io.enigm.server.content.internal;

import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;

/**
 * Erases stored objects inside the caller's write transaction: their rows and recipients, and their
 * bytes with it (see {@link Blobs#erase}). The one way the sweeper, a deletion, a deletion job, an
 * environment's erasure and an account's closure erase.
 */
final class ContentErasure {

    private final Blobs blobs;

    ContentErasure(Blobs blobs) {
        this.blobs = blobs;
    }

    /** Erases the objects among {@code seqs} that are stored; answers how many there were. */
    int erase(Handle handle, List<Long> seqs) {
        if (seqs.isEmpty()) {
            return 0;
        }
        List<ContentRows.Erasable> stored = ContentRows.erasable(handle, seqs);
        ContentRows.delete(handle, seqs);
        blobs.erase(handle, stored.stream().filter(object -> !object.inline()).map(ContentRows.Erasable::id).toList());
        return stored.size();
    }

    /**
     * Erases every object a condition selects, however many: for the erasure of everything an
     * environment or a closed account holds, in one transaction.
     *
     * @param where     a condition on {@code content_object}'s columns, with named parameters
     * @param arguments the condition's parameters
     */
    void eraseWhere(Handle handle, String where, Map<String, ?> arguments) {
        List<String> files = handle.createQuery("SELECT id FROM content_object WHERE (" + where
                + ") AND inline_bytes IS NULL").bindMap(arguments).mapTo(String.class).list();
        handle.createUpdate("DELETE FROM content_recipient WHERE object_seq IN (SELECT seq FROM content_object"
                + " WHERE " + where + ")").bindMap(arguments).execute();
        handle.createUpdate("DELETE FROM content_object WHERE " + where).bindMap(arguments).execute();
        blobs.erase(handle, files);
    }
}
