package io.enigm.server.admin;

import java.time.Instant;

/**
 * What the server keeps of an admin token: never the token itself.
 *
 * @param id            the token's public id, the administrator's handle in the audit log
 * @param label         who holds it
 * @param role          its role
 * @param environmentId its environment, or {@code null} for the installation
 * @param issuedBy      the id of the token that minted it, or {@code null} when the server did
 * @param createdAt     when it was minted
 * @param expiresAt     when it stops working, or {@code null} for never
 * @param lastUsedAt    roughly when it was last used (to the minute), or {@code null}
 * @param revokedAt     when it was revoked, or {@code null}
 */
public record AdminToken(String id, String label, AdminRole role, String environmentId, String issuedBy,
        Instant createdAt, Instant expiresAt, Instant lastUsedAt, Instant revokedAt) {
}
