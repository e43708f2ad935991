package io.enigm.server.attestation.registry;

/**
 * The device a signal is asked for.
 *
 * @param environmentId its environment
 * @param memberId      its member
 * @param deviceId      the device
 * @param publicKey     its enrolled Ed25519 key, X.509 SubjectPublicKeyInfo DER
 * @param challenge     the single-use nonce the server issued for the attempt being decided, which
 *                      possession proofs sign; {@code null} outside a device's attempt
 */
public record DeviceRef(String environmentId, String memberId, String deviceId, byte[] publicKey,
        String challenge) {

    /** A device outside any attempt of its own: an administrator's operation, a callback. */
    public DeviceRef(String environmentId, String memberId, String deviceId, byte[] publicKey) {
        this(environmentId, memberId, deviceId, publicKey, null);
    }
}
