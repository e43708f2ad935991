package io.enigm.server.membership;

import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;

import org.osgi.annotation.versioning.ProviderType;

/** Members' devices and their trust. Leaving a usable state closes the device's sessions. */
@ProviderType
public interface Devices {

    /**
     * Devices in order of enrollment, keyset-paged.
     *
     * @param memberId only this member's devices, or {@code null} for all
     */
    Page<Device> list(String environmentId, String memberId, PageRequest page);

    Device get(String environmentId, String deviceId);

    /**
     * Moves a device to {@code trust}: {@link DeviceTrust#TRUSTED}, {@link DeviceTrust#RESTRICTED},
     * {@link DeviceTrust#REVOKED} or {@link DeviceTrust#RETIRED}.
     *
     * @throws io.enigm.server.common.ConflictException naming the current state if not allowed
     */
    Device setTrust(String environmentId, String deviceId, DeviceTrust trust);

    /**
     * Supersedes a device by another device of the same member, which takes over its trust if it was
     * still pending; the old device becomes {@link DeviceTrust#REPLACED}.
     */
    Device replace(String environmentId, String deviceId, String newDeviceId);

    /** Revokes a device and closes its sessions. */
    Device remove(String environmentId, String deviceId);

    /**
     * Enrolls a new device for the member of a trusted device that signed the request.
     *
     * @throws io.enigm.server.common.AuthenticationFailedException if the nonce is unknown, used,
     *         expired or another device's, or the signature is wrong
     */
    Device add(String environmentId, DeviceAddition addition);
}
