package io.enigm.server.membership.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import org.jdbi.v3.core.Handle;

import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinRequestState;
import io.enigm.server.store.KeyedRead;

/**
 * A stored join request with what it takes to check its device's signatures, and while it is pending
 * whom it stands for (the account handle, never shown) and the live member that account already is.
 */
record JoinRequestRow(String id, String environmentId, JoinRequestState storedState, String displayName,
        String keyHandle, Instant createdAt, Instant expiresAt, Instant decidedAt, String memberId,
        String deviceId, byte[] signingKey, String accountHandle, String existingMemberId) {

    /** The columns every query that maps rows selects first and in this order: they are read by index. */
    private static final String COLUMNS = "j.id, j.environment_id, j.state, j.display_name, j.key_handle,"
            + " j.created_at, j.expires_at, j.decided_at, j.member_id, j.device_id,"
            + " COALESCE(j.public_key, d.public_key) AS signing_key, j.account_handle,"
            + " (SELECT m.id FROM member m WHERE m.environment_id = j.environment_id"
            + " AND m.account_handle = j.account_handle AND m.state <> 'REMOVED') AS existing_member";
    /** The start of a query for rows: add a {@code WHERE} clause on {@code j}. */
    static final String SELECT = "SELECT " + COLUMNS + " FROM join_request j LEFT JOIN device d ON d.id = j.device_id";
    private static final KeyedRead<JoinRequestRow> BY_ID = new KeyedRead<>(SELECT + " WHERE j.id = ?",
            JoinRequestRow::read);

    static Optional<JoinRequestRow> find(Handle handle, String requestId) {
        return BY_ID.find(handle, requestId);
    }

    static JoinRequestRow read(ResultSet rs) throws SQLException {
        return new JoinRequestRow(rs.getString(1), rs.getString(2), JoinRequestState.valueOf(rs.getString(3)),
                rs.getString(4), rs.getString(5), Rows.instant(rs, 6), Rows.instant(rs, 7), Rows.instant(rs, 8),
                rs.getString(9), rs.getString(10), rs.getBytes(11), rs.getString(12), rs.getString(13));
    }

    /** The request as an approval leaves it. */
    JoinRequestRow approved(Instant at, String approvedMember, String approvedDevice) {
        return new JoinRequestRow(id, environmentId, JoinRequestState.APPROVED, null, keyHandle, createdAt,
                expiresAt, at, approvedMember, approvedDevice, signingKey, null, null);
    }

    JoinRequestState state(Instant now) {
        return storedState == JoinRequestState.PENDING && !now.isBefore(expiresAt) ? JoinRequestState.EXPIRED
                : storedState;
    }

    JoinRequest view(Instant now) {
        JoinRequestState state = state(now);
        boolean pending = state == JoinRequestState.PENDING;
        return new JoinRequest(id, environmentId, state, pending ? displayName : null,
                pending ? DeviceKeys.verificationCode(keyHandle, id) : null,
                keyHandle == null ? null : DeviceKeys.fingerprint(keyHandle), createdAt, expiresAt, decidedAt,
                memberId, deviceId, pending ? existingMemberId : null);
    }
}
