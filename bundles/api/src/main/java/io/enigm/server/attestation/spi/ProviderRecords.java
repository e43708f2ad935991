package io.enigm.server.attestation.spi;

import java.util.Map;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Durable state a provider keeps about one device (a linked key, an eSIM profile's lifecycle),
 * stored by the server in the device's environment and erased with it. Values hold handles and
 * public material only, never raw external identifiers.
 */
@ProviderType
public interface ProviderRecords {

    Optional<Map<String, String>> get(String key);

    void put(String key, Map<String, String> value);

    void remove(String key);
}
