package io.enigm.server.content;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Follows what becomes visible to a member ({@link MemberContent#follow}). Called from the content
 * service's own threads: an implementation must not block (queue and return).
 */
@ConsumerType
public interface ContentListener {

    /** A new object the member may see: only its id, and the cursor to resume after it. */
    void created(String objectId, String cursor);

    /** Nothing new, and the session still stands: a sign of life for idle connections. */
    void alive();

    /** The subscription has ended (the session no longer stands, or the service stops); nothing follows. */
    void ended();
}
