package io.enigm.server.environment;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/** Creates and finds private environments. */
@ProviderType
public interface EnvironmentService {

    /**
     * Creates an {@link EnvironmentState#ACTIVE} environment with a fresh id and server ID.
     *
     * @throws io.enigm.server.common.InvalidRequestException if the name or label breaks a rule
     */
    Environment create(NewEnvironment request);

    /**
     * @throws io.enigm.server.common.NotFoundException if there is no such environment
     */
    Environment get(String id);

    /** All environments of the installation, oldest first. */
    Page<Environment> list(PageRequest page);
}
