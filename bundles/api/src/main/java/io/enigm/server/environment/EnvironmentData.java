package io.enigm.server.environment;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Data a bundle keeps per environment. Register an implementation as a service: once an
 * environment is {@link EnvironmentState#DELETED} and no legal hold keeps it, the environment
 * bundle's eraser asks every registered kind of data whether it still holds something of the
 * environment and erases it, one transaction and one audit record ({@code <name>.erase}) per kind.
 * A deleted environment's data must already be unavailable through the services; erasure removes
 * it from the store for good.
 */
@ConsumerType
public interface EnvironmentData {

    /** Names this kind of data in logs and audit actions, e.g. {@code membership}. */
    String name();

    /** Whether anything of this kind is still stored for the environment. */
    boolean holds(String environmentId);

    /**
     * Erases this kind of data of the environment. The eraser calls it inside its write
     * transaction on the calling thread, and the store's transactions join the one under way: what
     * the implementation removes commits together with the erasure's audit record, or not at all.
     */
    void erase(String environmentId);
}
