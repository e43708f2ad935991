package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * End to end against the assembled server: a provider jar dropped into {@code deploy/} is listed by
 * {@code GET /api/v1/providers} within 2 s, administered through the attestation routes, and opens
 * a session that needs it; once the jar is deleted it is gone and the next session is denied with
 * {@code ATTESTATION_UNAVAILABLE}. Runs on a private copy of the distribution, so that the other
 * end-to-end tests never see the provider.
 */
public class ProviderHotDeployIT {

    private static final String NEEDS_ESIM = "{\"rules\":[{\"id\":\"esim\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
            + "\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\",\"ESIM_BOUND\"],"
            + "\"mode\":\"enforce\"}],\"default\":\"DENY\"}";

    private static Path dist;
    private static ServerProcess server;
    private static Api api;

    @BeforeClass
    public static void startServer() throws Exception {
        dist = Distributions.privateCopy();
        server = new ServerProcess(Files.createTempDirectory("enigm-e2e-providers-"), "", dist);
        api = server.api();
        server.start();
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            server.stop();
        }
        if (dist != null) {
            Distributions.delete(dist);
        }
    }

    @Test
    public void aProviderJarDroppedIntoDeployIsUsedWithinTwoSecondsAndDecisionsFailClosedWhenItGoes()
            throws Exception {
        String owner = server.secret("owner-token");
        assertEquals(0, providers(owner).size());
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Hot deploy\"}").json().path("id").asText();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
        assertEquals(200, api.send("PUT", base + "/policy", owner, "application/json", NEEDS_ESIM.getBytes(
                StandardCharsets.UTF_8)).status());
        DeviceKey phone = DeviceKey.generate();
        String device = api.enrol(base, owner, "hot@enigm", phone.publicKey());

        Path jar = dist.resolve("deploy").resolve("esim-provider.jar");
        Path staged = dist.resolve("esim-provider.jar.part");
        // Copied beside deploy/ first and moved in atomically, so the watcher never reads half a jar.
        Files.copy(Path.of(System.getProperty("enigm.provider.esim")), staged);
        long dropped = System.nanoTime();
        Files.move(staged, jar, StandardCopyOption.ATOMIC_MOVE);
        JsonNode listed = awaitProviders(owner, 1, Duration.ofSeconds(2));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - dropped);
        assertEquals("esim", listed.get(0).path("type").asText());
        assertEquals("ESIM_BINDING", listed.get(0).path("category").asText());
        assertTrue("the configured provider of its category", listed.get(0).path("selected").asBoolean());
        System.out.println("eSIM provider listed " + millis + " ms after its jar was dropped into deploy/");

        String esim = base + "/devices/" + device + "/attestations/esim";
        // before any profile exists, a bad ICCID is refused as such
        assertEquals("iccid", api.post(esim, owner, "{\"operation\":\"activate\",\"iccid\":\"12\"}").problem(422)
                .path("field").asText());
        Api.Answer activated = api.post(esim, owner, "{\"operation\":\"activate\",\"iccid\":\"8944500102198304826\"}");
        assertEquals(activated.body(), 200, activated.status());
        assertTrue("the ICCID is shown as a handle only", !activated.body().contains("8944500102198304826"));
        api.post(esim, owner, "{\"operation\":\"unlink\"}").problem(409);
        api.post(base + "/devices/" + device + "/attestations/no-such-provider", owner,
                "{\"operation\":\"bind\"}").problem(404);
        assertEquals(200, api.post(esim, owner, "{\"operation\":\"bind\"}").status());
        assertEquals("BOUND", api.get(base + "/devices/" + device + "/attestations", owner).json()
                .path("attestations").path("esim").path("state").asText());
        api.openSession(env, device, phone);

        Files.delete(jar);
        awaitProviders(owner, 0, Duration.ofSeconds(2));
        JsonNode denied = api.trySession(env, device, phone).problem(403);
        assertEquals("[\"ATTESTATION_UNAVAILABLE\"]", denied.path("categories").toString());
    }

    private static JsonNode providers(String owner) {
        Api.Answer answer = api.get("/api/v1/providers", owner);
        assertEquals(answer.body(), 200, answer.status());
        return answer.json().path("items");
    }

    private static JsonNode awaitProviders(String owner, int count, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        JsonNode providers = providers(owner);
        while (providers.size() != count) {
            assertTrue("expected " + count + " providers within " + within + ", have " + providers,
                    System.nanoTime() < deadline);
            Thread.sleep(20);
            providers = providers(owner);
        }
        return providers;
    }
}
