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

    /**
     * Gives the installation owner a new server-minted OWNER token, without expiry, in place of the
     * earlier server-minted ones: those are revoked, and the tokens they minted count from now on
     * as minted by the new one, so the delegations the owner made stay in force. Inside a
     * {@link io.enigm.server.store.Database} transaction it commits with that transaction.
     *
     * @param label who holds it
     */
    MintedToken rotateOwner(String label);

    /** Tokens visible to {@code viewer}: all for the owner, those of its environment otherwise. Oldest first. */
    Page<AdminToken> list(AdminPrincipal viewer, PageRequest page);

    /**
     * Removes an administrator, a critical operation: revokes the token and every token minted from
     * it, transitively, so that no delegation outlives its issuer. They stop working at once.
     *
     * @param confirmationPin the critical-operation PIN
     * @throws io.enigm.server.common.NotFoundException if the token is not visible to {@code revoker}
     * @throws io.enigm.server.common.ForbiddenException if {@code revoker} is neither the owner nor a token
     *         it was minted from (directly or not), or the PIN is missing or wrong
     * @throws io.enigm.server.common.ConflictException if the token is already revoked, or if the
     *         revocation would leave the installation without a live OWNER token
     * @throws io.enigm.server.common.RateLimitedException while PIN attempts are locked out
     */
    void revoke(AdminPrincipal revoker, String tokenId, String confirmationPin);
}
