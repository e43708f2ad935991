package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The assembled distribution, started by {@code ./enigm-server} as a separate process on a free
 * loopback port with a fresh data home, as an operator would.
 */
public class DistributionIT {


    private static ServerProcess server;
    private static Api api;

    @BeforeClass
    public static void startServer() throws Exception {
        Path home = Files.createTempDirectory("enigm-e2e-");
        // Operators profile production with a flight recording: the server must run under one
        // (Jdbi emits JFR events whose generated handlers the framework must boot-delegate).
        server = new ServerProcess(home, "-XX:StartFlightRecording=filename=" + home.resolve("flight.jfr")
                + ",settings=default");
        api = server.api();
        start();
    }

    /** SIGTERM stops the server cleanly: the framework shuts down and the process exits by itself. */
    @AfterClass
    public static void stopServer() throws InterruptedException {
        if (server != null) {
            assertTrue("exits within 30 s of SIGTERM", server.stop());
        }
    }

    private static void start() throws IOException, InterruptedException {
        server.start();
        server.awaitConsole();
    }

    private static String secret(String name) throws IOException {
        return server.secret(name);
    }

    @Test
    public void firstStartWritesOwnerOnlySecretsAndPrintsOnlyTheirPaths() throws IOException {
        for (String name : new String[] {"owner-token", "console-password"}) {
            Path file = server.home().resolve("secrets").resolve(name);
            assertEquals(name, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String output = server.output();
            assertTrue("the path of " + name + " is printed", output.contains(file.toString()));
            assertFalse(name + " itself is never printed", output.contains(secret(name)));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(server.home().resolve("secrets"))));
    }

    @Test
    public void theApiRefusesCallersWithoutAValidToken() {
        Api.Answer anonymous = api.get("/api/v1/environments", null);
        anonymous.problem(401);
        assertTrue(anonymous.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        api.get("/api/v1/environments", "enigm_at_not-a-real-token").problem(401);
        api.post("/api/v1/environments", null, "{\"name\":\"x\"}").problem(401);
    }

    @Test
    public void theConsoleNeverAcceptsTheDefaultPassword() throws IOException, InterruptedException {
        assertEquals(401, api.get("/system/console/bundles", null).status());
        assertEquals(401, consoleLogin("admin", "admin"));
        assertEquals(401, consoleLogin("admin", secret("console-password") + "x"));
        assertEquals(200, consoleLogin("admin", secret("console-password")));
    }

    /** The status of a console login, once the pause the console takes after a wrong password (429) is over. */
    private static int consoleLogin(String user, String password) throws InterruptedException {
        int status;
        while ((status = api.getWithBasicAuth("/system/console/bundles", user, password).status()) == 429) {
            Thread.sleep(1000); // Retry-After: 1
        }
        return status;
    }

    @Test
    public void anAcknowledgedEnvironmentSurvivesAKilledProcess() throws Exception {
        String owner = secret("owner-token");
        Api.Answer created = api.post("/api/v1/environments", owner, "{\"name\":\"Survivor\",\"regionLabel\":\"eu-1\"}");
        // SIGKILL right after the 201: no shutdown hook, no flush.
        server.kill();
        assertEquals(201, created.status());
        JsonNode environment = created.json();

        start();
        Api.Answer found = api.get("/api/v1/environments/" + environment.path("id").asText(), owner);
        assertEquals(found.body(), 200, found.status());
        assertEquals(environment, found.json());
        assertEquals("the owner token survives too", owner, secret("owner-token"));
    }
}
