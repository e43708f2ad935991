package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The assembled distribution, started by {@code ./enigm-server} as a separate process on a free
 * loopback port with a fresh data home, as an operator would.
 */
public class DistributionIT {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static Path home;
    private static int port;
    private static Process server;
    private static Path log;
    private static Api api;

    @BeforeClass
    public static void startServer() throws Exception {
        home = Files.createTempDirectory("enigm-e2e-");
        port = Api.freePort();
        api = new Api(port);
        start();
    }

    /** SIGTERM stops the server cleanly: the framework shuts down and the process exits by itself. */
    @AfterClass
    public static void stopServer() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            boolean exited = server.waitFor(30, TimeUnit.SECONDS);
            if (!exited) {
                server.destroyForcibly();
            }
            assertTrue("exits within 30 s of SIGTERM", exited);
        }
    }

    private static void start() throws IOException, InterruptedException {
        log = Files.createTempFile("enigm-e2e-", ".log");
        ProcessBuilder launcher = new ProcessBuilder(System.getProperty("enigm.launcher"), "--no-build",
                "--home", home.toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // Operators profile production with a flight recording: the server must run under one
        // (Jdbi emits JFR events whose generated handlers the framework must boot-delegate).
        launcher.environment().put("ENIGM_JAVA_OPTS", "-XX:StartFlightRecording=filename="
                + home.resolve("flight.jfr") + ",settings=default");
        server = launcher.start();
        if (!api.awaitHealthy(START_TIMEOUT)) {
            server.destroyForcibly();
            throw new AssertionError("not healthy within " + START_TIMEOUT + "; output:\n" + Files.readString(log));
        }
        // The console is not a core service: health may answer before the console is registered.
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (api.get("/system/console/bundles", null).status() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }

    private static String secret(String name) throws IOException {
        return Files.readString(home.resolve("secrets").resolve(name), StandardCharsets.UTF_8).strip();
    }

    @Test
    public void firstStartWritesOwnerOnlySecretsAndPrintsOnlyTheirPaths() throws IOException {
        for (String name : new String[] {"owner-token", "console-password"}) {
            Path file = home.resolve("secrets").resolve(name);
            assertEquals(name, "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String output = Files.readString(log);
            assertTrue("the path of " + name + " is printed", output.contains(file.toString()));
            assertFalse(name + " itself is never printed", output.contains(secret(name)));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("secrets"))));
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
        server.destroyForcibly();
        assertEquals(201, created.status());
        assertTrue("killed", server.waitFor(30, TimeUnit.SECONDS));
        JsonNode environment = created.json();

        start();
        Api.Answer found = api.get("/api/v1/environments/" + environment.path("id").asText(), owner);
        assertEquals(found.body(), 200, found.status());
        assertEquals(environment, found.json());
        assertEquals("the owner token survives too", owner, secret("owner-token"));
    }
}
