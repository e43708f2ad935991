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

    /**
     * Enrols a device with an invite-free join request that {@code owner} approves; returns its id.
     * {@code base} is the environment's path, e.g. {@code /api/v1/environments/abc}.
     */
    String enrol(String base, String owner, String account, java.security.PublicKey key) {
        String serverId = get(base, owner).json().path("serverId").asText();
        com.fasterxml.jackson.databind.JsonNode receipt = post("/api/v1/join-requests", null, "{\"serverId\":\""
                + serverId + "\",\"accountHandle\":\"" + account + "\",\"devicePublicKey\":\""
                + java.util.Base64.getEncoder().encodeToString(key.getEncoded()) + "\"}").json();
        return post(base + "/join-requests/" + receipt.path("id").asText() + "/approve", owner,
                "{\"deviceFingerprint\":\"" + receipt.path("deviceFingerprint").asText() + "\"}")
                .json().path("deviceId").asText();
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
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
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
