package io.enigm.server.membership;

/**
 * A member's trusted device vouching for a new device of the same member.
 *
 * @param devicePublicKey standard Base64 of the new device's Ed25519 X.509 SubjectPublicKeyInfo
 * @param signingDeviceId the trusted device that signs
 * @param nonce           a nonce from {@link Sessions#challenge} for the signing device
 * @param signature       standard Base64 of the signing device's Ed25519 signature over the UTF-8 of
 *                        {@code enigm-device-add-v1\n<environment id>\n<signingDeviceId>\n<devicePublicKey>\n<nonce>}
 */
public record DeviceAddition(String devicePublicKey, String signingDeviceId, String nonce, String signature) {
}
