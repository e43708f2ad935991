package io.enigm.server.content.internal;

import java.util.List;
import java.util.Map;

import org.jdbi.v3.core.Handle;

/**
 * Erasing many objects at once, for good: the rows of the objects a condition selects and of their
 * recipients go in the transaction under way, and the blob files they named are returned, to be
 * unlinked once that transaction is durable (a crash in between leaves files no row names, which
 * the content service removes at its next start).
 */
final class ErasedObjects {

    private ErasedObjects() {
    }

    /**
     * @param where     a condition on {@code content_object}'s columns, with named parameters
     * @param arguments the condition's parameters
     * @return the ids of the erased objects whose bytes are files
     */
    static List<String> erase(Handle handle, String where, Map<String, ?> arguments) {
        List<String> files = handle.createQuery("SELECT id FROM content_object WHERE (" + where
                + ") AND inline_bytes IS NULL").bindMap(arguments).mapTo(String.class).list();
        handle.createUpdate("DELETE FROM content_recipient WHERE object_seq IN (SELECT seq FROM content_object"
                + " WHERE " + where + ")").bindMap(arguments).execute();
        handle.createUpdate("DELETE FROM content_object WHERE " + where).bindMap(arguments).execute();
        return files;
    }
}
