package io.enigm.server.membership.internal;

import org.jdbi.v3.core.Handle;

import io.enigm.server.common.ConflictException;
import io.enigm.server.environment.EnrollmentTrust;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.Member;
import io.enigm.server.membership.MemberState;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.support.ids.TimeOrderedIds;

/**
 * Writes that make members and devices, shared by approval and by device addition. Every method
 * runs on the caller's transaction handle.
 */
final class Enrollment {

    private Enrollment() {
    }

    static String newMember(Handle handle, String environmentId, String accountHandle, String displayName, long now) {
        String id = TimeOrderedIds.next();
        handle.createUpdate("INSERT INTO member (id, environment_id, account_handle, display_name, role, state,"
                + " created_at, updated_at) VALUES (:id, :env, :account, :displayName, :role, :state, :now, :now)")
                .bind("id", id).bind("env", environmentId).bind("account", accountHandle)
                .bind("displayName", displayName)
                .bind("role", Member.DEFAULT_ROLE).bind("state", MemberState.ACTIVE.name()).bind("now", now)
                .execute();
        return id;
    }

    /**
     * Enrolls a device key for a member in the environment's new-device trust state.
     *
     * @throws ConflictException if the key is already enrolled in the environment
     */
    static String newDevice(Handle handle, SecurityEventRecorder events, String environmentId, String memberId,
            String keyHandle, byte[] publicKey, EnrollmentTrust trust, long now) {
        String id = TimeOrderedIds.next();
        // the unique (environment, key) index decides, in the same statement as the insert
        int inserted = handle.createUpdate("INSERT INTO device (id, environment_id, member_id, key_handle, public_key,"
                + " fingerprint, trust, created_at, updated_at) VALUES (:id, :env, :member, :key, :publicKey,"
                + " :fingerprint, :trust, :now, :now) ON CONFLICT (environment_id, key_handle) DO NOTHING")
                .bind("id", id).bind("env", environmentId).bind("member", memberId).bind("key", keyHandle)
                .bind("publicKey", publicKey).bind("fingerprint", DeviceKeys.fingerprint(keyHandle))
                .bind("trust", (trust == EnrollmentTrust.TRUSTED ? DeviceTrust.TRUSTED : DeviceTrust.PENDING).name())
                .bind("now", now)
                .execute();
        if (inserted == 0) {
            throw new ConflictException("this device key is already enrolled in the environment");
        }
        events.record(environmentId, SecurityEventCategory.DEVICE_ENROLLED, keyHandle);
        return id;
    }
}
