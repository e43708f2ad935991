package io.enigm.server.environment;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/** Creates, finds, changes and retires private environments. */
@ProviderType
public interface EnvironmentService {

    /**
     * Creates an {@link EnvironmentState#ACTIVE} environment with a fresh id, server ID and key.
     *
     * @throws io.enigm.server.common.InvalidRequestException if the name or label breaks a rule
     */
    Environment create(NewEnvironment request);

    /**
     * @throws io.enigm.server.common.NotFoundException if there is no such environment (a
     *         {@link EnvironmentState#DELETED} one is still found, as a tombstone)
     */
    Environment get(String id);

    /** All environments of the installation, oldest first. */
    Page<Environment> list(PageRequest page);

    /**
     * Changes name, label, visibility, content lifetime or enrollment trust.
     *
     * @throws io.enigm.server.common.ConflictException if the environment is read-only
     *         (closing, closed or deleted)
     */
    Environment update(String id, EnvironmentChanges changes);

    /**
     * Moves the environment through its lifecycle.
     *
     * @param confirmationPin the critical-operation PIN, required when {@link LifecycleAction#isCritical()}
     * @throws io.enigm.server.common.ConflictException naming the current state if the action is not
     *         allowed from it, or naming the legal hold that keeps the environment from deletion
     * @throws io.enigm.server.common.ForbiddenException if a critical action lacks the right PIN
     * @throws io.enigm.server.common.RateLimitedException if PIN attempts are locked out
     */
    Environment apply(String id, LifecycleAction action, String confirmationPin);
}
