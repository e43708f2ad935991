package io.enigm.server.membership;

import org.osgi.annotation.versioning.ProviderType;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

/** The security events of an environment, for its administrators and security reviewers. */
@ProviderType
public interface SecurityEventFeed {

    /**
     * Events oldest first, keyset-paged.
     *
     * @throws io.enigm.server.common.NotFoundException if the environment is unknown or deleted
     */
    Page<SecurityEvent> list(String environmentId, PageRequest page);
}
