package io.enigm.server.admin;

import java.time.Duration;
import java.util.Optional;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

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

    /**
     * Mints a token on behalf of an administrator: of equal or lower reach (see
     * {@link AdminRole#mayGrant}), within the issuer's environment, and expiring no later than the
     * issuer's own token.
     *
     * @throws io.enigm.server.common.ForbiddenException if the issuer may not grant the role
     * @throws io.enigm.server.common.NotFoundException if the environment is not visible to the issuer
     * @throws io.enigm.server.common.InvalidRequestException if ttl is missing, not positive or too long
     */
    MintedToken issue(AdminPrincipal issuer, AdminRole role, String environmentId, Duration ttl, String label);

    /** Tokens visible to {@code viewer}: all for the owner, those of its environment otherwise. Oldest first. */
    Page<AdminToken> list(AdminPrincipal viewer, PageRequest page);

    /**
     * Revokes a token: it stops working at once.
     *
     * @throws io.enigm.server.common.NotFoundException if the token is not visible to {@code revoker}
     * @throws io.enigm.server.common.ForbiddenException if {@code revoker} is neither its issuer nor the owner
     */
    void revoke(AdminPrincipal revoker, String tokenId);
}
