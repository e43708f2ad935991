package io.enigm.server.it;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;

/** A member device's Ed25519 key as the app holds it, signing the messages API.md defines. */
final class DeviceKey {

    private final KeyPair keys;

    private DeviceKey(KeyPair keys) {
        this.keys = keys;
    }

    static DeviceKey generate() {
        try {
            return new DeviceKey(KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    java.security.PublicKey publicKey() {
        return keys.getPublic();
    }

    /** The {@code devicePublicKey} of a join request: Base64 of the X.509 encoding. */
    String encodedPublicKey() {
        return Base64.getEncoder().encodeToString(keys.getPublic().getEncoded());
    }

    /** Base64 of the Ed25519 signature over the UTF-8 bytes of {@code message}. */
    String sign(String message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(keys.getPrivate());
            signer.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    /** The body of {@code POST …/sessions}: the signed nonce and no provider evidence. */
    String sessionProof(String environmentId, String deviceId, String nonce) {
        return sessionProof(environmentId, deviceId, nonce, Api.JSON.createObjectNode());
    }

    /** The body of {@code POST …/sessions}: the signed nonce and the providers' {@code evidence}. */
    String sessionProof(String environmentId, String deviceId, String nonce, JsonNode evidence) {
        return Api.JSON.createObjectNode().put("deviceId", deviceId).put("nonce", nonce)
                .put("signature", sign("enigm-session-v1\n" + environmentId + "\n" + deviceId + "\n" + nonce))
                .set("evidence", evidence).toString();
    }

    /** The body of {@code POST …/sessions/{session}/renew}: a signature bound to the session it renews. */
    String renewalProof(String environmentId, String deviceId, String sessionId, String nonce) {
        return Api.JSON.createObjectNode().put("deviceId", deviceId).put("nonce", nonce)
                .put("signature", sign("enigm-session-renew-v1\n" + environmentId + "\n" + deviceId + "\n"
                        + sessionId + "\n" + nonce))
                .set("evidence", Api.JSON.createObjectNode()).toString();
    }

    /** The body of {@code POST …/devices}: this device, {@code signingDeviceId}, vouches for {@code added}. */
    String deviceAddition(String environmentId, String signingDeviceId, DeviceKey added, String nonce) {
        String key = added.encodedPublicKey();
        return Api.JSON.createObjectNode().put("devicePublicKey", key).put("signingDeviceId", signingDeviceId)
                .put("nonce", nonce).put("signature", sign("enigm-device-add-v1\n" + environmentId + "\n"
                        + signingDeviceId + "\n" + key + "\n" + nonce))
                .toString();
    }

    /** The {@code X-Enigm-Signature} header with which a joining device reads or withdraws its request now. */
    String joinSignature(String method, String requestId) {
        long seconds = Instant.now().getEpochSecond();
        return seconds + "." + sign("enigm-join-v1\n" + requestId + "\n" + method + "\n" + seconds);
    }
}
