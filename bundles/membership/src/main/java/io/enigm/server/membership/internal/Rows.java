package io.enigm.server.membership.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import io.enigm.server.membership.Device;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.Session;

/** Rows of the membership tables as domain records. */
final class Rows {

    static final String MEMBER_COLUMNS = "id, environment_id, account_handle, role, state, created_at, updated_at";
    static final String DEVICE_COLUMNS = "id, environment_id, member_id, key_handle, fingerprint, trust, created_at,"
            + " updated_at, replaced_by";
    static final String SESSION_COLUMNS = "id, environment_id, member_id, device_id, created_at, expires_at, closed_at";

    private Rows() {
    }

    static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getString("id"), rs.getString("environment_id"), rs.getString("account_handle"),
                rs.getString("role"), MemberState.valueOf(rs.getString("state")), instant(rs, "created_at"),
                instant(rs, "updated_at"));
    }

    static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getString("id"), rs.getString("environment_id"), rs.getString("member_id"),
                rs.getString("key_handle"), rs.getString("fingerprint"), DeviceTrust.valueOf(rs.getString("trust")),
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getString("replaced_by"));
    }

    static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("id"), rs.getString("environment_id"), rs.getString("member_id"),
                rs.getString("device_id"), instant(rs, "created_at"), instant(rs, "expires_at"),
                instant(rs, "closed_at"));
    }

    /** An epoch-millis column as an instant, or {@code null}. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? null : Instant.ofEpochMilli(((Number) value).longValue());
    }
}
