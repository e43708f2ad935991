package io.enigm.server.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.After;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code enigm-server backup} of the unpacked archive's running server while a client keeps creating
 * environments and members, then {@code enigm-server restore} into a new data home and a start on
 * it: the environments and members the backup saw are there as they were (everything created before
 * it began, nothing that never existed), a blob-stored object comes back byte for byte, and the
 * audit chain verifies, on the server and with the shipped standalone verifier, carrying the
 * original chain's records.
 */
public class BackupRestoreIT {

    /** Bounds the load: it stops after the backup anyway. */
    private static final int MAX_WRITES = 400;

    private Path root;
    private ServerProcess original;
    private ServerProcess restored;

    /** An environment the load created and the member it then enrolled there. */
    private record Written(String environmentId, String memberId) {
    }

    @After
    public void cleanUp() throws Exception {
        for (ServerProcess server : new ServerProcess[] {original, restored}) {
            if (server != null) {
                server.stop();
            }
        }
        if (root != null) {
            Distributions.delete(root);
        }
    }

    @Test
    public void aBackupUnderWriteLoadRestoresIntoANewHomeWithTheSameEnvironmentsMembersContentAndAVerifyingChain()
            throws Exception {
        root = Files.createTempDirectory("enigm-backup-");
        Path dist = Distributions.unpackArchive(Files.createDirectory(root.resolve("archive")));
        Path home = root.resolve("home");
        original = ServerProcess.unpacked(dist, home);
        original.start();
        Api api = original.api();
        String owner = original.secret("owner-token");

        // an object large enough for the blob store, sent by a member with a session
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Before\"}").json().path("id").asText();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        DeviceKey aliceKey = DeviceKey.generate();
        Api.Enrolled alice = api.enrolMember(base, owner, "alice@enigm", aliceKey.publicKey());
        byte[] attachment = new byte[200 * 1024];
        new SecureRandom().nextBytes(attachment);
        Api.Answer uploaded = api.postBytes(base + "/content", session(api, env, alice, aliceKey),
                Map.of("X-Enigm-Surface", "ATTACHMENTS", "X-Enigm-Recipients", alice.memberId()), attachment);
        assertEquals(uploaded.body(), 201, uploaded.status());
        String objectId = uploaded.json().path("id").asText();
        assertEquals(1, files(home.resolve("content/objects")));
        long recordsBefore = api.get("/api/v1/audit/verify", owner).json().path("records").asLong();

        List<Written> written = new CopyOnWriteArrayList<>();
        AtomicBoolean loading = new AtomicBoolean(true);
        AtomicReference<Throwable> loadFailed = new AtomicReference<>();
        Thread load = new Thread(() -> {
            try {
                for (int i = 0; i < MAX_WRITES && loading.get(); i++) {
                    String created = api.post("/api/v1/environments", owner, "{\"name\":\"Load " + i + "\"}").json()
                            .path("id").asText();
                    String member = api.enrolMember("/api/v1/environments/" + created, owner, "load-" + i + "@enigm",
                            DeviceKey.generate().publicKey()).memberId();
                    written.add(new Written(created, member));
                }
            } catch (Throwable e) {
                loadFailed.set(e);
            }
        });
        load.start();
        await("the load has begun", () -> written.size() >= 3 || loadFailed.get() != null);
        int doneBeforeBackup = written.size();

        Path backup = root.resolve("backup");
        Distributions.Launched backedUp = Distributions.launcher(dist, "backup", backup.toString(), "--home",
                home.toString(), "--with-secrets");
        int doneAfterBackup = written.size();
        await("the load goes on after the backup",
                () -> written.size() >= doneAfterBackup + 3 || loadFailed.get() != null);
        loading.set(false);
        load.join(TimeUnit.MINUTES.toMillis(2));
        assertEquals("the load never failed", null, loadFailed.get());
        assertEquals(backedUp.output(), 0, backedUp.exit());
        assertTrue("the secrets are announced loudly: " + backedUp.output(),
                backedUp.output().contains("WARNING: this backup holds the installation's SECRETS"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        assertTrue("writes went on during the backup: " + doneBeforeBackup + " before, " + doneAfterBackup
                + " after", doneAfterBackup > doneBeforeBackup || written.size() > doneAfterBackup);

        Map<String, JsonNode> environments = environments(api, owner);
        Map<String, Map<String, JsonNode>> members = new HashMap<>();
        for (String id : environments.keySet()) {
            members.put(id, members(api, owner, id));
        }
        List<String> originalChain = chain(download(api, owner));
        assertTrue("exits within 30 s of SIGTERM", original.stop());

        Distributions.Launched overwrite = Distributions.launcher(dist, "restore", backup.toString(), "--home",
                home.toString());
        assertEquals(overwrite.output(), 1, overwrite.exit());
        assertTrue(overwrite.output(), overwrite.output().contains("is not empty"));
        Path newHome = root.resolve("restored-home");
        Distributions.Launched restore = Distributions.launcher(dist, "restore", backup.toString(), "--home",
                newHome.toString());
        assertEquals(restore.output(), 0, restore.exit());

        restored = ServerProcess.unpacked(dist, newHome);
        restored.start();
        Api after = restored.api();
        assertEquals("the owner token comes back with the secrets", owner, restored.secret("owner-token"));

        Map<String, JsonNode> restoredEnvironments = environments(after, owner);
        for (Written before : written.subList(0, doneBeforeBackup)) {
            assertTrue("created before the backup began: " + before, restoredEnvironments.containsKey(
                    before.environmentId()));
            assertTrue("enrolled before the backup began: " + before, members(after, owner, before.environmentId())
                    .containsKey(before.memberId()));
        }
        assertTrue(restoredEnvironments.containsKey(env));
        for (Map.Entry<String, JsonNode> environment : restoredEnvironments.entrySet()) {
            assertEquals("the environment as it was", environments.get(environment.getKey()), environment.getValue());
            for (Map.Entry<String, JsonNode> member : members(after, owner, environment.getKey()).entrySet()) {
                assertEquals("the member as it was", members.get(environment.getKey()).get(member.getKey()),
                        member.getValue());
            }
        }

        byte[] fetched = after.getBytes(base + "/content/" + objectId, session(after, env, alice, aliceKey), Map.of())
                .body();
        assertArrayEquals("the blob-stored object comes back byte for byte", attachment, fetched);

        JsonNode verification = after.get("/api/v1/audit/verify", owner).json();
        assertTrue(verification.toString(), verification.path("intact").asBoolean());
        Path export = download(after, owner);
        Distributions.Launched verified = Distributions.run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                dist.resolve("bin/enigm-audit-verifier.jar").toString(), export.toString()));
        assertEquals(verified.output(), 0, verified.exit());
        assertTrue(verified.output(), verified.output().startsWith("intact: "));
        List<String> restoredChain = chain(export);
        int common = 0;
        while (common < Math.min(originalChain.size(), restoredChain.size())
                && originalChain.get(common).equals(restoredChain.get(common))) {
            common++;
        }
        assertTrue("the restored chain carries the " + recordsBefore + " records from before the backup; "
                + common + " in common", common >= recordsBefore);
    }

    private static String session(Api api, String env, Api.Enrolled member, DeviceKey key) {
        return api.openSession(env, member.deviceId(), key).path("sessionToken").asText();
    }

    private static Map<String, JsonNode> environments(Api api, String owner) {
        Map<String, JsonNode> byId = new HashMap<>();
        api.get("/api/v1/environments?limit=500", owner).json().path("items")
                .forEach(environment -> byId.put(environment.path("id").asText(), environment));
        return byId;
    }

    private static Map<String, JsonNode> members(Api api, String owner, String env) {
        Map<String, JsonNode> byId = new HashMap<>();
        Api.Answer answer = api.get("/api/v1/environments/" + env + "/members?limit=500", owner);
        assertEquals(answer.body(), 200, answer.status());
        answer.json().path("items").forEach(member -> byId.put(member.path("id").asText(), member));
        return byId;
    }

    private static Path download(Api api, String owner) throws Exception {
        Api.Answer answer = api.get("/api/v1/audit/export", owner);
        assertEquals(answer.body(), 200, answer.status());
        return Files.writeString(Files.createTempFile("audit-export", ".jsonl"), answer.body());
    }

    /** The hashes of an export's records, in sequence. */
    private static List<String> chain(Path export) throws Exception {
        List<String> hashes = new ArrayList<>();
        for (String line : Files.readAllLines(export, StandardCharsets.UTF_8)) {
            JsonNode node = Api.JSON.readTree(line);
            if (node.path("type").asText().equals("record")) {
                hashes.add(node.path("hash").asText());
            }
        }
        return hashes;
    }

    private static long files(Path directory) throws Exception {
        try (var files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    /** A bounded poll of the load thread's progress (a minute at most). */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!condition.getAsBoolean()) {
            assertTrue(what + " within a minute", System.nanoTime() < deadline);
            Thread.sleep(20);
        }
    }
}
