package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A SIGKILL in the middle of a deletion job, against the assembled server as an operator runs it,
 * configured through a {@code conf/} file to erase one object per transaction and to keep every
 * object in the blob store: after the restart the job resumes and completes, no file of what it
 * covered is left, and its receipt is the audit chain's record.
 */
public class ContentDeletionCrashIT {

    private static final int OBJECTS = 600;
    private static final String CONFIGURED = "Content deletion jobs erase 1 objects per transaction";

    private ServerProcess server;

    @After
    public void stopServer() throws InterruptedException {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    public void aJobKilledHalfWayCompletesAfterTheRestartAndItsReceiptVerifies() throws Exception {
        Path conf = Files.createTempDirectory("enigm-deletion-conf-");
        Files.writeString(conf.resolve("io.enigm.server.content.cfg"), "deletionChunk=1\ninlineLimitBytes=0\n");
        // this run's own configuration folder, so the shared distribution is left as it is
        server = new ServerProcess(Files.createTempDirectory("enigm-deletion-"), "-Dfelix.fileinstall.dir=" + conf
                + "," + Path.of(System.getProperty("enigm.distribution")).resolve("conf"));
        server.start();
        // ConfigAdmin takes the file up after the first start and restarts the content components and
        // the API with it; from the data home it keeps the configuration, so the next start begins with it
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!server.output().contains(CONFIGURED)) {
            assertTrue("the content configuration is taken up", System.nanoTime() < deadline);
            Thread.sleep(50);
        }
        assertTrue(server.stop());
        server.start();
        String output = server.output();
        assertTrue("started with the configuration", output.substring(output.lastIndexOf("Content deletion jobs"))
                .startsWith(CONFIGURED));
        Api api = server.api();
        String owner = server.secret("owner-token");
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Killed deletion\"}").json().path("id")
                .asText();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        DeviceKey key = DeviceKey.generate();
        Api.Enrolled alice = api.enrolMember(base, owner, "alice-" + UUID.randomUUID() + "@enigm", key.publicKey());
        String token = api.openSession(env, alice.deviceId(), key).path("sessionToken").asText();
        Set<String> covered = new HashSet<>();
        for (int i = 0; i < OBJECTS; i++) {
            Api.Answer uploaded = api.postBytes(base + "/content", token, Map.of("X-Enigm-Surface", "MESSAGES"),
                    new byte[] {(byte) i, 2, 3});
            assertEquals(uploaded.body(), 201, uploaded.status());
            covered.add(uploaded.json().path("id").asText());
        }
        assertTrue("every object is a file of the blob store", blobFiles(server.home()).containsAll(covered));

        JsonNode started = api.post(base + "/content/deletions", owner, "{\"scope\":\"MEMBER\",\"memberId\":\""
                + alice.memberId() + "\"}").json();
        assertEquals(OBJECTS, started.path("objects").asLong());
        String job = base + "/content/deletions/" + started.path("id").asText();
        long erasedAtKill = -1;
        deadline = System.nanoTime() + 30_000_000_000L;
        while (erasedAtKill < 0) {
            assertTrue("the job makes progress", System.nanoTime() < deadline);
            long erased = api.get(job, owner).json().path("erased").asLong();
            assertTrue("the job finished before the test could kill it in the middle: raise OBJECTS",
                    erased < OBJECTS);
            if (erased > 0) {
                server.kill();
                erasedAtKill = erased;
            }
        }
        assertTrue("killed with files left to erase", blobFiles(server.home()).stream().anyMatch(covered::contains));

        server.start();
        deadline = System.nanoTime() + 60_000_000_000L;
        JsonNode done = api.get(job, owner).json();
        while (!"COMPLETED".equals(done.path("state").asText())) {
            assertTrue("the resumed job completes: " + done, System.nanoTime() < deadline);
            Thread.sleep(50);
            done = api.get(job, owner).json();
        }
        assertTrue(done.path("erased").asLong() >= erasedAtKill);
        assertEquals(OBJECTS, done.path("receipt").path("objects").asLong());
        Set<String> left = new HashSet<>(blobFiles(server.home()));
        left.retainAll(covered);
        assertEquals("no covered file is left in the blob store", Set.of(), left);
        assertEquals(0, api.get(base + "/content", token).json().path("items").size());

        long sequence = done.path("receipt").path("auditSequence").asLong();
        JsonNode seal = sealed(api, owner, sequence);
        assertEquals(done.path("receipt").path("auditHash").asText(), seal.path("hash").asText());
        assertEquals("content.deletion.complete", seal.path("action").asText());
        assertTrue(api.get("/api/v1/audit/verify", owner).json().path("intact").asBoolean());
    }

    /** The installation audit log's record with {@code sequence}, paged through. */
    private static JsonNode sealed(Api api, String owner, long sequence) {
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/audit?limit=500" + (cursor == null ? "" : "&cursor=" + cursor), owner)
                    .json();
            for (JsonNode record : page.path("items")) {
                if (record.path("sequence").asLong() == sequence) {
                    return record;
                }
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText(null);
        } while (cursor != null);
        throw new AssertionError("no audit record " + sequence);
    }

    private static List<String> blobFiles(Path home) throws IOException {
        try (Stream<Path> walk = Files.walk(home.resolve("content").resolve("objects"))) {
            return walk.filter(Files::isRegularFile).map(file -> file.getFileName().toString()).toList();
        }
    }
}
