package io.enigm.server.content;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The administrators' side of content: how much there is, and deleting an object. Nothing here
 * returns bytes or recipient lists.
 */
@ProviderType
public interface ContentAdministration {

    /** Counts, sizes and dates of the environment's unexpired content, in total and per sender. */
    ContentStatistics statistics(String environmentId);

    /**
     * Deletes one object of the environment: it vanishes at once and its bytes are erased.
     *
     * @throws io.enigm.server.common.NotFoundException no such unexpired object in the environment (404)
     */
    void delete(String environmentId, String objectId);
}
