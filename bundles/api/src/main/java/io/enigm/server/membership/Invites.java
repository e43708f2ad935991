package io.enigm.server.membership;

import java.time.Duration;

import io.enigm.server.admin.AdminPrincipal;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/** Single-use, expiring invite codes: a join request carrying a valid one is approved on arrival. */
@ProviderType
public interface Invites {

    /**
     * Mints an invite.
     *
     * @param ttl    how long it can be used, or {@code null} for the configured default
     * @param issuer the administrator minting it, in whose name its use is audited as an approval
     * @throws io.enigm.server.common.InvalidRequestException if {@code ttl} exceeds the configured maximum
     */
    MintedInvite create(String environmentId, Duration ttl, AdminPrincipal issuer);

    /** An environment's invites, newest last. */
    Page<Invite> list(String environmentId, PageRequest page);

    /**
     * Revokes an unused invite.
     *
     * @throws io.enigm.server.common.ConflictException if it was used or revoked already
     */
    Invite revoke(String environmentId, String inviteId);
}
