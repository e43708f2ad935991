package io.enigm.server.membership.internal;

import org.jdbi.v3.core.Handle;

/**
 * What one read knows of the environment, the device, its member and, for a renewal, the session
 * named with the hash of the token presented for it. A missing part is {@code null}; a missing
 * environment is no standing at all.
 */
record SessionStanding(String environmentState, String memberId, String trust, byte[] publicKey,
        String keyHandle, String memberState, String role, String sessionDevice) {

    /**
     * One indexed read: the environment row, and beside it whatever of the rest exists. To open a
     * session {@code sessionId} is {@code null} and the device is the claimed one; to renew, the
     * device is the live session's.
     */
    static SessionStanding read(Handle handle, String environmentId, String deviceId, String sessionId,
            String tokenHash, long now) {
        boolean renewal = sessionId != null;
        String session = renewal ? " LEFT JOIN session s ON s.id = :session AND s.environment_id = e.id"
                + " AND s.token_hash = :hash AND s.closed_at IS NULL AND s.expires_at > :now" : "";
        String device = renewal ? "d.id = s.device_id" : "d.id = :device";
        var query = handle.createQuery("SELECT e.state AS environment_state, d.member_id, d.trust, d.public_key,"
                + " d.key_handle, m.state AS member_state, m.role, "
                + (renewal ? "s.device_id" : "NULL") + " AS session_device"
                + " FROM environment e" + session
                + " LEFT JOIN device d ON " + device + " AND d.environment_id = e.id"
                + " LEFT JOIN member m ON m.id = d.member_id"
                + " WHERE e.id = :env")
                .bind("env", environmentId);
        if (renewal) {
            query.bind("session", sessionId).bind("hash", tokenHash).bind("now", now);
        } else {
            query.bind("device", deviceId);
        }
        return query.map((rs, ctx) -> new SessionStanding(rs.getString("environment_state"), rs.getString("member_id"),
                rs.getString("trust"), rs.getBytes("public_key"), rs.getString("key_handle"),
                rs.getString("member_state"), rs.getString("role"), rs.getString("session_device")))
                .findOne().orElse(null);
    }
}
