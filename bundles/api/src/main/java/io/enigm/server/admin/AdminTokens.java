package io.enigm.server.admin;

import java.time.Duration;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Admin bearer tokens: minted, checked and stored as hashes only. */
@ProviderType
public interface AdminTokens {

    /**
     * The administrator a bearer token stands for, if the token exists, has not expired and has
     * not been revoked.
     */
    Optional<AdminPrincipal> authenticate(String bearerToken);

    /**
     * Mints a token.
     *
     * @param role          its role
     * @param environmentId its environment, {@code null} exactly when the role is installation-wide
     * @param ttl           how long it works, or {@code null} for no expiry
     * @param label         who holds it, shown in audit and token lists
     */
    MintedToken mint(AdminRole role, String environmentId, Duration ttl, String label);
}
