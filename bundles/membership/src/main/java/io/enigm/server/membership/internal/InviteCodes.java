package io.enigm.server.membership.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

/**
 * Invite codes are stored as the SHA-256 of their normalized text: 100 random bits need no slow
 * hash, and a stolen database yields no usable code.
 */
final class InviteCodes {

    /** Who minted a used invite: the approval it causes is audited in their name. */
    record Issuer(String inviteId, String tokenId, String role) {
    }

    private InviteCodes() {
    }

    /** Upper case without separators, so {@code abcde-fghij} and {@code ABCDEFGHIJ} are one code. */
    static String hash(String code) {
        String normalized = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normalized.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** The environment's invite with this code, if it is unused, unrevoked and unexpired. */
    static Optional<Issuer> find(Handle handle, String environmentId, String code, long now) {
        return handle.createQuery("SELECT id, issued_by, issuer_role FROM invite"
                + " WHERE code_hash = :hash AND environment_id = :env AND used_at IS NULL AND revoked_at IS NULL"
                + " AND expires_at > :now")
                .bind("hash", hash(code)).bind("env", environmentId).bind("now", now)
                .map((rs, ctx) -> new Issuer(rs.getString("id"), rs.getString("issued_by"), rs.getString("issuer_role")))
                .findOne();
    }

    /** Marks an invite used by {@code joinRequestId}: it cannot be used again. */
    static void markUsed(Handle handle, Issuer invite, String joinRequestId, long now) {
        handle.createUpdate("UPDATE invite SET used_at = :now, join_request_id = :request WHERE id = :id")
                .bind("now", now).bind("request", joinRequestId).bind("id", invite.inviteId()).execute();
    }
}
