package io.enigm.server.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The members a content benchmark needs, made through the API as the app and an administrator
 * do: an environment whose new devices start TRUSTED, then per member one device that joins, is
 * approved and opens a device-signed session. The session tokens are what the content routes take.
 */
final class ContentMembers {

    /** An environment made for one run: its id, and the server id that devices join with. */
    record Environment(String id, String serverId) {
    }

    private final ApiClient api;
    private final String ownerToken;

    ContentMembers(ApiClient api, String ownerToken) {
        this.api = api;
        this.ownerToken = ownerToken;
    }

    Environment environment(String name) throws IOException {
        JsonNode environment = ApiClient.expect(201, api.send("POST", "/api/v1/environments", ownerToken,
                ApiClient.JSON.createObjectNode().put("name", name).toString()));
        String env = environment.path("id").asText();
        ApiClient.expect(200, api.send("PATCH", "/api/v1/environments/" + env, ownerToken,
                "{\"newDeviceTrust\":\"TRUSTED\"}"));
        return new Environment(env, environment.path("serverId").asText());
    }

    /** Enrols {@code count} members' devices, {@code concurrency} at a time; answers one session token each. */
    List<String> sessions(Environment environment, int count, int concurrency) throws Exception {
        List<String> tokens = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger next = new AtomicInteger();
        String run = Long.toString(System.currentTimeMillis(), 36);
        ApiClient.parallel(concurrency, () -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                tokens.add(session(environment, "content-" + run + "-" + i));
            }
            return 0;
        });
        return new ArrayList<>(tokens);
    }

    private String session(Environment environment, String accountHandle) throws IOException {
        String env = environment.id();
        byte[] privateKey = LoadKeys.newPrivateKey();
        JsonNode receipt = ApiClient.expect(202, api.send("POST", "/api/v1/join-requests", null,
                "{\"serverId\":\"" + environment.serverId() + "\",\"accountHandle\":\"" + accountHandle
                        + "\",\"devicePublicKey\":\"" + LoadKeys.publicKeyText(privateKey) + "\"}"));
        JsonNode approved = ApiClient.expect(200, api.send("POST", "/api/v1/environments/" + env
                + "/join-requests/" + receipt.path("id").asText() + "/approve", ownerToken, ApiClient.approval(receipt)));
        String device = approved.path("deviceId").asText();
        String nonce = ApiClient.expect(200, api.send("POST", "/api/v1/environments/" + env
                + "/sessions/challenge", null, "{\"deviceId\":\"" + device + "\"}")).path("nonce").asText();
        byte[] signed = ("enigm-session-v1\n" + env + "\n" + device + "\n" + nonce).getBytes(StandardCharsets.UTF_8);
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(privateKey, 0, LoadKeys.publicKey(privateKey), 0, signed, 0, signed.length, signature, 0);
        return ApiClient.expect(201, api.send("POST", "/api/v1/environments/" + env + "/sessions", null,
                "{\"deviceId\":\"" + device + "\",\"nonce\":\"" + nonce + "\",\"signature\":\""
                        + Base64.getEncoder().encodeToString(signature) + "\",\"evidence\":{}}"))
                .path("sessionToken").asText();
    }
}
