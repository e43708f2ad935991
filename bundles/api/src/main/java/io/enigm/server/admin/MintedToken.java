package io.enigm.server.admin;

import java.time.Instant;

/**
 * A newly minted admin token. {@link #token()} exists only in this object: the server keeps its
 * hash.
 *
 * @param id        the token's public id
 * @param token     the bearer secret, shown once
 * @param principal who the token authenticates as
 * @param expiresAt when it stops working, or {@code null} for never
 */
public record MintedToken(String id, String token, AdminPrincipal principal, Instant expiresAt) {

    @Override
    public String toString() {
        return "MintedToken[id=" + id + ", principal=" + principal + ", expiresAt=" + expiresAt + "]";
    }
}
