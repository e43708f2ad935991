package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small client of the Command API on 127.0.0.1, for tests. */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    Api(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** An answer: status, headers and the body parsed as JSON when it is JSON. */
    record Answer(int status, String contentType, String body, HttpResponse<String> raw) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        /** Asserts an RFC 9457 problem with this status and returns it. */
        JsonNode problem(int expected) {
            assertEquals(body, expected, status);
            assertEquals("application/problem+json", contentType.replaceAll(";.*", ""));
            JsonNode problem = json();
            assertEquals(expected, problem.path("status").asInt());
            assertTrue(body, problem.path("type").asText().startsWith("urn:enigm:problem:"));
            assertTrue(body, problem.hasNonNull("title"));
            assertTrue("no stack trace in " + body, !body.contains("\tat ") && !body.contains("Exception"));
            return problem;
        }
    }

    /** What an approved join request gave: the request, the member and the enrolled device. */
    record Enrolled(String requestId, String memberId, String deviceId) {
    }

    /**
     * Enrols a device with an invite-free join request that {@code owner} approves; returns its id.
     * {@code base} is the environment's path, e.g. {@code /api/v1/environments/abc}.
     */
    String enrol(String base, String owner, String account, java.security.PublicKey key) {
        return enrolMember(base, owner, account, key).deviceId();
    }

    /**
     * Files an invite-free join request for {@code account} and approves it as {@code owner}, with the
     * device fingerprint the administrator sees in the pending list, as Command does.
     */
    Enrolled enrolMember(String base, String owner, String account, java.security.PublicKey key) {
        String serverId = get(base, owner).json().path("serverId").asText();
        String request = submitJoin(serverId, account, key, null).path("id").asText();
        Answer approved = post(base + "/join-requests/" + request + "/approve", owner,
                JSON.createObjectNode().put("deviceFingerprint", pendingFingerprint(base, owner, request)).toString());
        assertEquals(approved.body(), 200, approved.status());
        JsonNode decided = approved.json();
        return new Enrolled(request, decided.path("memberId").asText(), decided.path("deviceId").asText());
    }

    /** {@code POST /join-requests} without an invite, expecting its 202; returns the receipt. */
    JsonNode submitJoin(String serverId, String account, java.security.PublicKey key, String displayName) {
        com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode().put("serverId", serverId)
                .put("accountHandle", account)
                .put("devicePublicKey", java.util.Base64.getEncoder().encodeToString(key.getEncoded()));
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        Answer filed = post("/api/v1/join-requests", null, body.toString());
        assertEquals(filed.body(), 202, filed.status());
        return filed.json();
    }

    /** The fingerprint a pending request shows its administrators. */
    String pendingFingerprint(String base, String owner, String requestId) {
        String cursor = null;
        do {
            JsonNode page = get(base + "/join-requests?state=PENDING&limit=500"
                    + (cursor == null ? "" : "&cursor=" + cursor), owner).json();
            for (JsonNode request : page.path("items")) {
                if (request.path("id").asText().equals(requestId)) {
                    return request.path("deviceFingerprint").asText();
                }
            }
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);
        throw new AssertionError("join request " + requestId + " is not pending");
    }

    /** A fresh nonce for {@code deviceId} to sign: {@code POST …/sessions/challenge}. */
    String challenge(String environmentId, String deviceId) {
        Answer challenge = post("/api/v1/environments/" + environmentId + "/sessions/challenge", null,
                JSON.createObjectNode().put("deviceId", deviceId).toString());
        assertEquals(challenge.body(), 200, challenge.status());
        return challenge.json().path("nonce").asText();
    }

    /** {@code POST …/sessions} with a proof over a fresh nonce, whatever the answer. */
    Answer trySession(String environmentId, String deviceId, DeviceKey key) {
        return post("/api/v1/environments/" + environmentId + "/sessions", null,
                key.sessionProof(environmentId, deviceId, challenge(environmentId, deviceId)));
    }

    /** Opens a session for a trusted device with a signed nonce; returns the grant. */
    JsonNode openSession(String environmentId, String deviceId, DeviceKey key) {
        Answer opened = trySession(environmentId, deviceId, key);
        assertEquals(opened.body(), 201, opened.status());
        return opened.json();
    }

    /** A joining device's own read ({@code GET}) or withdrawal ({@code DELETE}) of its request, signed now. */
    Answer signedJoin(String method, String requestId, DeviceKey key) {
        return send(method, "/api/v1/join-requests/" + requestId, null,
                java.util.Map.of("X-Enigm-Signature", key.joinSignature(method, requestId)), null);
    }

    Answer get(String path, String token) {
        return send(request(path, token).GET());
    }

    Answer post(String path, String token, String json) {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Answer send(String method, String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder builder = request(path, token).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return send(builder);
    }

    /** A request with a JSON body (or none when {@code json} is {@code null}) and extra headers. */
    Answer send(String method, String path, String token, java.util.Map<String, String> headers, String json) {
        return send(method, path, token, headers, json, REQUEST_TIMEOUT);
    }

    /** As {@link #send(String, String, String, java.util.Map, String)}, allowed {@code timeout} to answer. */
    Answer send(String method, String path, String token, java.util.Map<String, String> headers, String json,
            Duration timeout) {
        HttpRequest.Builder builder = request(path, token).timeout(timeout).method(method, json == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            builder.header("Content-Type", "application/json");
        }
        headers.forEach(builder::header);
        return send(builder);
    }

    /** {@code POST} of opaque bytes ({@code application/octet-stream}) with extra headers. */
    Answer postBytes(String path, String token, java.util.Map<String, String> headers, byte[] body) {
        HttpRequest.Builder builder = request(path, token).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(builder::header);
        return send(builder);
    }

    /** A {@code GET} whose answer is kept as bytes, as sent. */
    HttpResponse<byte[]> getBytes(String path, String token, java.util.Map<String, String> headers) {
        return bytes(request(path, token).GET(), headers);
    }

    /** A request without a body whose answer is kept as bytes, as sent. */
    HttpResponse<byte[]> getBytesAs(String method, String path, String token) {
        return bytes(request(path, token).method(method, HttpRequest.BodyPublishers.noBody()), java.util.Map.of());
    }

    private HttpResponse<byte[]> bytes(HttpRequest.Builder builder, java.util.Map<String, String> headers) {
        headers.forEach(builder::header);
        try {
            return client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    Answer getWithBasicAuth(String path, String user, String password) {
        String credentials = java.util.Base64.getEncoder().encodeToString(
                (user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + credentials).GET());
    }

    /** Polls health until it answers 200, for at most {@code timeout}. */
    boolean awaitHealthy(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (client.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/health"))
                        .timeout(Duration.ofSeconds(2)).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        return false;
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(REQUEST_TIMEOUT);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                    response.body(), response);
        } catch (IOException e) {
            throw new AssertionError("request failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
