package io.enigm.server.attestation.registry;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What a provider's operation decided, prepared outside any write transaction and not yet written:
 * the records it changes, the identifiers it binds or releases, and whether it ends the device's
 * sessions.
 */
@ProviderType
public interface AttestationChange {

    /** The provider's view of the device once the change is applied (handles and states only). */
    Map<String, Object> view();

    /** Whether the change withdraws the assurance the device's open sessions were opened with. */
    boolean endsSessions();

    /**
     * Writes the change, in the caller's transaction if there is one: short, no provider code runs.
     *
     * @throws io.enigm.server.common.ConflictException when a record the operation read has changed
     *                                                  since, or an identifier it binds has been
     *                                                  bound to another device meanwhile
     */
    void apply();
}
