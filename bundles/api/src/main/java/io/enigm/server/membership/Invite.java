package io.enigm.server.membership;

import java.time.Instant;

/**
 * A single-use invite, without its code (stored only as a hash).
 *
 * @param joinRequestId the request that used it, or {@code null}
 */
public record Invite(String id, String environmentId, InviteState state, Instant createdAt, Instant expiresAt,
        String joinRequestId) {
}
