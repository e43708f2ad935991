package io.enigm.server.membership.internal;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.jdbi.v3.core.Handle;

import io.enigm.server.store.KeyedRead;

/**
 * What one read knows of the environment, the device, its member and, for a renewal, the session
 * named with the hash of the token presented for it. A missing part is {@code null}; a missing
 * environment is no standing at all.
 */
record SessionStanding(String environmentState, String memberId, String trust, byte[] publicKey,
        String keyHandle, String memberState, String role, String sessionDevice) {

    private static final String COLUMNS = "SELECT e.state, d.member_id, d.trust, d.public_key, d.key_handle,"
            + " m.state, m.role, ";
    private static final String MEMBER = " LEFT JOIN member m ON m.id = d.member_id WHERE e.id = ?";
    private static final KeyedRead<SessionStanding> OPENING = new KeyedRead<>(COLUMNS + "NULL FROM environment e"
            + " LEFT JOIN device d ON d.id = ? AND d.environment_id = e.id" + MEMBER, SessionStanding::of);
    private static final KeyedRead<SessionStanding> RENEWAL = new KeyedRead<>(COLUMNS + "s.device_id FROM environment e"
            + " LEFT JOIN session s ON s.id = ? AND s.environment_id = e.id AND s.token_hash = ?"
            + " AND s.closed_at IS NULL AND s.expires_at > ?"
            + " LEFT JOIN device d ON d.id = s.device_id AND d.environment_id = e.id" + MEMBER, SessionStanding::of);

    /**
     * One indexed read: the environment row, and beside it whatever of the rest exists. To open a
     * session {@code sessionId} is {@code null} and the device is the claimed one; to renew, the
     * device is the live session's.
     */
    static SessionStanding read(Handle handle, String environmentId, String deviceId, String sessionId,
            String tokenHash, long now) {
        return (sessionId == null ? OPENING.find(handle, deviceId, environmentId)
                : RENEWAL.find(handle, sessionId, tokenHash, now, environmentId)).orElse(null);
    }

    private static SessionStanding of(ResultSet rs) throws SQLException {
        return new SessionStanding(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBytes(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8));
    }
}
