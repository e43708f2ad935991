package io.enigm.server.membership;

import java.time.Instant;

/**
 * The device behind a live session token: an open, unexpired session of a TRUSTED device of an
 * ACTIVE member, as of the moment it was authenticated.
 */
public record SessionPrincipal(String environmentId, String memberId, String deviceId, String sessionId,
        Instant expiresAt) {
}
