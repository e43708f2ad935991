package io.enigm.server.membership;

import java.time.Instant;
import java.util.List;

/**
 * An allowed session: the only place its token ever appears, since the server keeps a hash of it.
 *
 * @param sessionId     the session
 * @param token         the bearer token (256 random bits), for {@code Authorization: Bearer}
 * @param expiresAt     when the token stops working unless renewed
 * @param warnings      decision categories the device should act on (e.g. a grace period)
 * @param policyVersion the version of the environment's policy that allowed it
 */
public record SessionGrant(String sessionId, String token, Instant expiresAt, List<String> warnings,
        long policyVersion) {

    @Override
    public String toString() {
        return "SessionGrant[sessionId=" + sessionId + ", expiresAt=" + expiresAt + "]";
    }
}
