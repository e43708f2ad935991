package io.enigm.server.membership;

import java.util.Map;

/**
 * What a device presents to open or renew a session.
 *
 * @param deviceId  the device; on renewal {@code null} or the session's own device
 * @param nonce     a nonce from {@link Sessions#challenge}, single-use
 * @param signature standard Base64 of the Ed25519 signature over the UTF-8 of
 *                  {@code enigm-session-v1\n<environment id>\n<device id>\n<nonce>} to open a session,
 *                  {@code enigm-session-renew-v1\n<environment id>\n<device id>\n<session id>\n<nonce>}
 *                  to renew one
 * @param evidence  attestation evidence by provider type, as parsed JSON objects; may be empty
 */
public record SessionProof(String deviceId, String nonce, String signature,
        Map<String, Map<String, Object>> evidence) {

    public SessionProof {
        evidence = evidence == null ? Map.of() : evidence;
    }
}
