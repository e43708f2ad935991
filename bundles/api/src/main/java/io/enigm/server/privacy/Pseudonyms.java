package io.enigm.server.privacy;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Handles for external identifiers: HMAC-SHA256 under the environment's own random key, so the
 * same identifier in two environments gives unrelated handles, and nothing retained can be
 * linked to a person once the key is destroyed.
 */
@ProviderType
public interface Pseudonyms {

    /**
     * The handle of {@code rawValue} in {@code environmentId}: URL-safe text, stable for as long as
     * the environment's key exists.
     *
     * @throws io.enigm.server.common.NotFoundException if the environment has no key (never had
     *         one, or it was destroyed)
     */
    String handle(String environmentId, IdentifierKind kind, String rawValue);

    /**
     * Creates the environment's key, stored wrapped under the installation key. Joins the
     * caller's transaction, so an environment never exists without its key.
     */
    void createKey(String environmentId);

    /** Destroys the environment's key for good (crypto-shredding). Joins the caller's transaction. */
    void destroyKey(String environmentId);
}
