package io.enigm.server.membership.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import io.enigm.server.membership.Device;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.Session;

/**
 * Rows of the membership tables as domain records. Every query that maps them selects the
 * {@code *_COLUMNS} first and in their order, so columns are read by index: by name, the driver
 * fetched every column's name from SQLite once per result.
 */
final class Rows {

    static final String MEMBER_COLUMNS = "id, environment_id, account_handle, role, state, created_at, updated_at";
    static final String DEVICE_COLUMNS = "id, environment_id, member_id, key_handle, fingerprint, trust, created_at,"
            + " updated_at, replaced_by";
    static final String SESSION_COLUMNS = "id, environment_id, member_id, device_id, created_at, expires_at, closed_at";

    private Rows() {
    }

    static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                MemberState.valueOf(rs.getString(5)), instant(rs, 6), instant(rs, 7));
    }

    static Device device(ResultSet rs) throws SQLException {
        return new Device(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                DeviceTrust.valueOf(rs.getString(6)), instant(rs, 7), instant(rs, 8), rs.getString(9));
    }

    static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), instant(rs, 5),
                instant(rs, 6), instant(rs, 7));
    }

    /** An epoch-millis column as an instant, or {@code null}. */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        long millis = rs.getLong(column);
        return millis == 0 && rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    /** An epoch-millis column as an instant, or {@code null}. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        Object value = rs.getObject(column);
        return value == null ? null : Instant.ofEpochMilli(((Number) value).longValue());
    }
}
