package io.enigm.server.membership;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.security.SecurityEventFilter;

/**
 * The security events of an environment, for its administrators and security reviewers, and of the
 * whole installation, for the owner and installation-wide reviewers (the Enigm Intelligence feed).
 */
@ProviderType
public interface SecurityEventFeed {

    /**
     * Events oldest first, keyset-paged.
     *
     * @throws io.enigm.server.common.NotFoundException if the environment is unknown or deleted
     */
    default Page<SecurityEvent> list(String environmentId, PageRequest page) {
        return list(environmentId, SecurityEventFilter.ALL, page);
    }

    /**
     * One environment's events that pass {@code filter} (its environment is ignored), oldest first,
     * keyset-paged.
     *
     * @throws io.enigm.server.common.NotFoundException if the environment is unknown or deleted
     */
    Page<SecurityEvent> list(String environmentId, SecurityEventFilter filter, PageRequest page);

    /** Every environment's events and the installation's own that pass {@code filter}, oldest first, keyset-paged. */
    Page<SecurityEvent> listInstallation(SecurityEventFilter filter, PageRequest page);

    /**
     * The installation's latest events that pass {@code filter}, newest first: what an operator looks
     * at first, without paging through the whole history.
     *
     * @param limit at most this many, 1 to {@link Page#MAX_LIMIT}
     * @throws io.enigm.server.common.InvalidRequestException if {@code limit} is out of range
     * @since 3.4
     */
    List<SecurityEvent> latestInstallation(SecurityEventFilter filter, int limit);
}
