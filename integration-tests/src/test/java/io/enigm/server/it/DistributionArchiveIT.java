package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The archive {@code mvn package} writes, as an operator with nothing else uses it: unpacked into an
 * empty directory, started by its own {@code bin/enigm-server}, a provider enabled from
 * {@code providers/} with one launcher command. Backed up and restored under write load in
 * {@link BackupRestoreIT}.
 */
public class DistributionArchiveIT {

    private static Path unpacked;
    private static Path dist;
    private static ServerProcess server;
    private static Api api;

    @BeforeClass
    public static void unpackAndStart() throws Exception {
        unpacked = Files.createTempDirectory("enigm-archive-");
        dist = Distributions.unpackArchive(unpacked);
        server = ServerProcess.unpacked(dist, unpacked.resolve("home"));
        api = server.api();
        server.start();
    }

    @AfterClass
    public static void stopServer() throws Exception {
        if (server != null) {
            assertTrue("exits within 30 s of SIGTERM", server.stop());
        }
        if (unpacked != null) {
            Distributions.delete(unpacked);
        }
    }

    @Test
    public void theArchiveHoldsTheLauncherEveryPartAndTheProvidersAndTheZipHoldsTheSame() throws Exception {
        for (String part : new String[] {"bin/felix.jar", "bin/enigm-backup.jar", "bin/enigm-audit-verifier.jar",
                "conf/config.properties", "conf/README.txt", "conf/SETTINGS.txt", "systemd/enigm-server.service"}) {
            assertTrue(part, Files.isRegularFile(dist.resolve(part)));
        }
        assertTrue("the launcher is executable", Files.isExecutable(dist.resolve("bin/enigm-server")));
        String settings = Files.readString(dist.resolve("conf/SETTINGS.txt"));
        for (String documented : new String[] {"io.enigm.server.store.cfg", "  busyTimeoutMillis = 5000  (Integer",
                "io.enigm.server.provider.esim.cfg"}) {
            assertTrue("conf/SETTINGS.txt documents " + documented, settings.contains(documented));
        }
        try (Stream<Path> deploy = Files.list(dist.resolve("deploy"))) {
            assertFalse("no bundle is deployed", deploy.anyMatch(file -> file.toString().endsWith(".jar")));
        }
        for (String key : new String[] {"esim", "key", "os-posture", "managed-device"}) {
            JsonNode feature = Api.JSON.readTree(dist.resolve("providers/provider-" + key + ".json").toFile());
            String bundle = feature.path("bundles").get(0).path("id").asText();
            assertFalse("versions are resolved: " + bundle, bundle.contains("${"));
            String version = bundle.substring(bundle.lastIndexOf(':') + 1);
            assertTrue(key, Files.isRegularFile(dist.resolve("providers/io.enigm.server.provider." + key + "-"
                    + version + ".jar")));
        }

        TreeSet<String> inTar = new TreeSet<>();
        try (Stream<Path> files = Files.walk(unpacked)) {
            files.filter(Files::isRegularFile).filter(file -> !file.startsWith(unpacked.resolve("home")))
                    .filter(file -> !file.getFileName().toString().contains(".jsa")) // the first run's class data
                    .forEach(file -> inTar.add(unpacked.relativize(file).toString()));
        }
        TreeSet<String> inZip = new TreeSet<>();
        try (ZipFile zip = new ZipFile(System.getProperty("enigm.archive") + ".zip")) {
            zip.stream().filter(entry -> !entry.isDirectory()).forEach(entry -> inZip.add(entry.getName()));
        }
        assertEquals(inTar, inZip);
    }

    @Test
    public void aProviderEnabledFromProvidersWithOneCommandIsUsedAndDisablingRemovesIt() throws Exception {
        String owner = server.secret("owner-token");
        assertEquals(0, providers(owner).size());
        Distributions.Launched listed = Distributions.launcher(dist, "providers");
        assertEquals(listed.output(), 0, listed.exit());
        assertTrue(listed.output(), listed.output().matches("(?s).*\\besim +available .*"));

        Distributions.Launched enabled = Distributions.launcher(dist, "enable-provider", "esim");
        assertEquals(enabled.output(), 0, enabled.exit());
        JsonNode providers = awaitProviders(owner, 1, Duration.ofSeconds(5));
        assertEquals("esim", providers.get(0).path("type").asText());
        assertTrue(Distributions.launcher(dist, "providers").output().matches("(?s).*\\besim +enabled .*"));
        // and it serves: its own route answers, here refusing an ICCID too short
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Archive\"}").json().path("id").asText();
        String base = "/api/v1/environments/" + env;
        String device = api.enrol(base, owner, "archive@enigm", DeviceKey.generate().publicKey());
        assertEquals("iccid", api.post(base + "/devices/" + device + "/attestations/esim", owner,
                "{\"operation\":\"activate\",\"iccid\":\"12\"}").problem(422).path("field").asText());

        Distributions.Launched unknown = Distributions.launcher(dist, "enable-provider", "no-such");
        assertEquals(unknown.output(), 1, unknown.exit());
        assertTrue(unknown.output(), unknown.output().contains("no provider 'no-such'"));

        Distributions.Launched disabled = Distributions.launcher(dist, "disable-provider", "esim");
        assertEquals(disabled.output(), 0, disabled.exit());
        awaitProviders(owner, 0, Duration.ofSeconds(5));
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
