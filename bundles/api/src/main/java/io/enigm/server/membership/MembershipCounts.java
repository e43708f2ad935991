package io.enigm.server.membership;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Counts of an environment's members and devices, for the operator's console: no handle, name or
 * key, just how many.
 *
 * @since 3.4
 */
@ProviderType
public interface MembershipCounts {

    /**
     * Counts members by state and devices by trust, in one read.
     *
     * @throws io.enigm.server.common.NotFoundException if there is no such environment
     */
    MembershipCount count(String environmentId);
}
