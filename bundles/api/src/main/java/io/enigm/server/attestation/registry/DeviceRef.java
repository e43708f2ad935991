package io.enigm.server.attestation.registry;

/**
 * The device a signal is asked for.
 *
 * @param environmentId its environment
 * @param memberId      its member
 * @param deviceId      the device
 * @param publicKey     its enrolled Ed25519 key, X.509 SubjectPublicKeyInfo DER
 */
public record DeviceRef(String environmentId, String memberId, String deviceId, byte[] publicKey) {
}
