package io.enigm.server.attestation.spi;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable state a provider keeps about one device (a linked key, an eSIM profile's lifecycle),
 * stored by the server in the device's environment and erased with it, and owned by the provider's
 * type and bundle: another bundle registering the same type never sees it. Values hold handles and
 * public material only, never raw external identifiers. Read-only during evaluation; during an
 * operation, writes are staged and read back at once, and stored when the request commits.
 */
@ProviderType
public interface ProviderRecords {

    Optional<Map<String, String>> get(String key);

    void put(String key, Map<String, String> value);

    void remove(String key);

    /**
     * Binds an identifier's {@linkplain AttestedDevice#handleOf handle} (an ICCID, a Key) to this
     * device alone in its environment, for this provider's category: one identifier cannot vouch
     * for two devices. Binding it again to the same device changes nothing. Like every write, it
     * takes effect when the operation commits, and is checked again then.
     *
     * @throws AttestationException {@code CONFLICT} when the handle is bound to another device of
     *                              the environment that still exists
     * @since 1.2
     */
    void bindExclusively(String handle) throws AttestationException;

    /**
     * Releases this device's binding of {@code handle}, if it holds one, so that another device may
     * bind it (a profile retired, a Key replaced).
     *
     * @since 1.2
     */
    void release(String handle);
}
