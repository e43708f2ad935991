package io.enigm.server.membership.internal;

import java.util.List;

import org.jdbi.v3.core.Handle;

import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;

/**
 * Writes that end access at once: closing sessions and revoking devices. Every method runs on the
 * caller's transaction handle, so the state change and its consequences commit together.
 */
final class Revocations {

    private static final String OPEN = " AND closed_at IS NULL AND expires_at > :now";
    /** A device not in a final state. */
    private static final String LIVE = " AND trust NOT IN ('REVOKED', 'REPLACED', 'RETIRED')";

    private Revocations() {
    }

    static int closeSessionsOfDevice(Handle handle, String deviceId, long now) {
        return handle.createUpdate("UPDATE session SET closed_at = :now WHERE device_id = :device" + OPEN)
                .bind("device", deviceId).bind("now", now).execute();
    }

    /** Only in {@code environmentId}: a caller naming another environment's device closes nothing. */
    static int closeSessionsOfDevice(Handle handle, String environmentId, String deviceId, long now) {
        return handle.createUpdate("UPDATE session SET closed_at = :now WHERE environment_id = :env"
                + " AND device_id = :device" + OPEN)
                .bind("env", environmentId).bind("device", deviceId).bind("now", now).execute();
    }

    static int closeSession(Handle handle, String sessionId, long now) {
        return handle.createUpdate("UPDATE session SET closed_at = :now WHERE id = :id" + OPEN)
                .bind("id", sessionId).bind("now", now).execute();
    }

    static int closeSessionsOfMember(Handle handle, String memberId, long now) {
        return handle.createUpdate("UPDATE session SET closed_at = :now WHERE member_id = :member" + OPEN)
                .bind("member", memberId).bind("now", now).execute();
    }

    /** Revokes every device of the member that is not in a final state already, each a lifecycle event. */
    static int revokeDevicesOfMember(Handle handle, SecurityEventRecorder events, String environmentId,
            String memberId, long now) {
        List<String> keyHandles = handle.createQuery("SELECT key_handle FROM device WHERE member_id = :member"
                + LIVE).bind("member", memberId).mapTo(String.class).list();
        keyHandles.forEach(keyHandle -> events.record(environmentId, SecurityEventCategory.DEVICE_REVOKED, keyHandle));
        return handle.createUpdate("UPDATE device SET trust = 'REVOKED', updated_at = :now WHERE member_id = :member"
                + LIVE).bind("member", memberId).bind("now", now).execute();
    }
}
