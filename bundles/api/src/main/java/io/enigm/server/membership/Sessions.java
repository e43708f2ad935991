package io.enigm.server.membership;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/** Review and closing of devices' sessions, and the nonces devices sign to prove their key. */
@ProviderType
public interface Sessions {

    /**
     * Open sessions, oldest first.
     *
     * @param memberId only this member's, or {@code null}
     * @param deviceId only this device's, or {@code null}
     */
    Page<Session> list(String environmentId, String memberId, String deviceId, PageRequest page);

    /**
     * Closes a session at once.
     *
     * @throws io.enigm.server.common.ConflictException if it is closed or expired already
     */
    Session close(String environmentId, String sessionId);

    /**
     * Closes every open session of a device at once, in the caller's transaction if there is one
     * (e.g. with the attestation change that withdrew their assurance).
     *
     * @return how many were open
     */
    int closeAllOfDevice(String environmentId, String deviceId);

    /**
     * Issues a nonce for {@code deviceId} to sign, single-use, valid for 60 seconds. Issuing keeps
     * nothing, so however many nonces others ask for, none is taken from the device.
     *
     * @throws io.enigm.server.common.NotFoundException the same for an unknown environment, an unknown
     *         device, another environment's device or a device out of service
     */
    SessionChallenge challenge(String environmentId, String deviceId);
}
