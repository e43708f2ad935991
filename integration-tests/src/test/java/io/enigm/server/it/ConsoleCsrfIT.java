package io.enigm.server.it;

import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The Web Console of the assembled distribution, over real HTTP with the operator's Basic
 * credentials, refuses any request that may change something unless it comes from the console's
 * own origin: a page on another site cannot make the operator's browser stop a bundle.
 */
public class ConsoleCsrfIT {

    /** A library bundle without activator: stopping and starting it disturbs nothing. */
    private static final String TARGET = "org.owasp.encoder";

    private static ServerProcess server;
    private static String base;
    private static Console console;

    @BeforeClass
    public static void startServer() throws Exception {
        server = new ServerProcess(Files.createTempDirectory("enigm-csrf-"), "");
        base = "http://127.0.0.1:" + server.port();
        server.start();
        server.awaitConsole();
        console = new Console(server);
    }

    @AfterClass
    public static void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    public void aStateChangingRequestFromAnotherOriginOrFromNowhereIsRefused() throws Exception {
        String id = bundleId();
        for (Map<String, String> proof : List.<Map<String, String>>of(Map.of("Origin", "http://evil.example"),
                Map.of(), Map.of("Referer", "http://evil.example/page"), Map.of("Origin", "null"))) {
            HttpResponse<String> refused = post("/system/console/bundles/" + id, "action=stop", proof);
            assertEquals(proof + ": " + refused.body(), 403, refused.statusCode());
            assertEquals("application/problem+json",
                    refused.headers().firstValue("Content-Type").orElse("").replaceAll(";.*", ""));
            assertEquals(proof + " changed nothing", "Active", state(id));
        }

        HttpResponse<String> stopped = post("/system/console/bundles/" + id, "action=stop", Map.of("Origin", base));
        assertEquals(stopped.body(), 200, stopped.statusCode());
        assertEquals("the console's own page may act", "Resolved", state(id));
        HttpResponse<String> started = post("/system/console/bundles/" + id, "action=start",
                Map.of("Referer", base + "/system/console/bundles"));
        assertEquals(started.body(), 200, started.statusCode());
        assertEquals("Active", state(id));
    }

    private static String bundleId() throws Exception {
        for (JsonNode bundle : Api.JSON.readTree(get("/system/console/bundles.json").body()).path("data")) {
            if (TARGET.equals(bundle.path("symbolicName").asText())) {
                return bundle.path("id").asText();
            }
        }
        throw new AssertionError(TARGET + " is not installed");
    }

    private static String state(String id) throws Exception {
        return Api.JSON.readTree(get("/system/console/bundles/" + id + ".json").body()).path("data").get(0)
                .path("state").asText();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return console.get(path);
    }

    private static HttpResponse<String> post(String path, String form, Map<String, String> headers)
            throws IOException, InterruptedException {
        return console.post(path, form, headers);
    }
}
