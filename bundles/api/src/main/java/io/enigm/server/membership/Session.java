package io.enigm.server.membership;

import java.time.Instant;

/**
 * A device's session, without its token (stored only as a hash).
 *
 * @param closedAt when it was closed before its expiry, or {@code null}
 */
public record Session(String id, String environmentId, String memberId, String deviceId, Instant createdAt,
        Instant expiresAt, Instant closedAt) {
}
