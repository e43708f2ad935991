package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An installation that ran on its SQLite file, with members, devices, a policy version, content and
 * its audit chain, is stopped, moved into PostgreSQL by {@code enigm-server move-to-postgresql},
 * and started on PostgreSQL from the same data home: it serves the same answers and its audit
 * chain verifies.
 */
public class MoveToPostgresIT {

    private static final String POLICY = "{\"rules\":[{\"id\":\"members-on-trusted-devices\",\"roles\":[\"*\"],"
            + "\"actions\":[\"*\"],\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"],"
            + "\"mode\":\"enforce\"}],\"default\":\"DENY\"}";

    @Test
    public void anSqliteInstallationMovedToPostgresServesTheSameAnswersAndItsChainVerifies() throws Exception {
        Path home = Files.createTempDirectory("enigm-move-");
        ServerProcess server = new ServerProcess(home, "");
        server.start();
        String owner = server.secret("owner-token");
        Api api = server.api();
        String env = api.post("/api/v1/environments", owner, "{\"name\":\"Moving\"}").json().path("id").asText();
        String base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
        DeviceKey phone = DeviceKey.generate();
        Api.Enrolled alice = api.enrolMember(base, owner, "alice@moving", phone.publicKey());
        api.enrolMember(base, owner, "bob@moving", DeviceKey.generate().publicKey());
        assertEquals(200, api.send("PUT", base + "/policy", owner, "application/json",
                POLICY.getBytes(StandardCharsets.UTF_8)).status());
        String token = api.openSession(env, alice.deviceId(), phone).path("sessionToken").asText();
        byte[] message = "ciphertext, as far as the server knows".getBytes(StandardCharsets.UTF_8);
        Api.Answer uploaded = api.postBytes(base + "/content", token, Map.of("X-Enigm-Surface", "MESSAGES"), message);
        assertEquals(uploaded.body(), 201, uploaded.status());
        String object = uploaded.json().path("id").asText();
        // beyond the inline limit: its bytes are a file in the data home until the move
        byte[] media = new byte[(1 << 20) * 2 + 4321];
        new java.util.Random(17).nextBytes(media);
        Api.Answer large = api.postBytes(base + "/content", token, Map.of("X-Enigm-Surface", "MESSAGES"), media);
        assertEquals(large.body(), 201, large.status());
        String largeObject = large.json().path("id").asText();

        List<String> paths = List.of(base, base + "/members", base + "/devices", base + "/policy",
                base + "/policy/versions", base + "/content/stats");
        List<String> before = paths.stream().map(path -> api.get(path, owner).body()).toList();
        long recordsBefore = api.get("/api/v1/audit/verify", owner).json().path("records").asLong();
        assertTrue(server.stop());

        String url = PostgresNodes.newDatabase(home);
        Distributions.Launched moved = Distributions.run(List.of(System.getProperty("enigm.launcher"), "--no-build",
                "move-to-postgresql", "--home", home.toString(), "--database-url", url));
        assertEquals(moved.output(), 0, moved.exit());
        assertTrue(moved.output(), moved.output().contains("audit_record: "));
        assertTrue(moved.output(), moved.output().contains("large objects: 1 (" + media.length + " bytes)"));

        ServerProcess onPostgres = new ServerProcess(home, "");
        try {
            onPostgres.start(PostgresNodes.options(url));
            assertTrue(onPostgres.output().contains("Database PostgreSQL"));
            Api moving = onPostgres.api();
            JsonNode verified = moving.get("/api/v1/audit/verify", owner).json();
            assertTrue(verified.toString(), verified.path("intact").asBoolean());
            assertTrue(verified.toString(), verified.path("records").asLong() > recordsBefore);
            List<String> after = paths.stream().map(path -> moving.get(path, owner).body()).toList();
            assertEquals(before, after);
            // the member's device opens a new session and reads what it stored before the move
            String again = moving.openSession(env, alice.deviceId(), phone).path("sessionToken").asText();
            assertEquals(new String(message, StandardCharsets.UTF_8), new String(moving.getBytes(
                    base + "/content/" + object, again, Map.of()).body(), StandardCharsets.UTF_8));
            assertTrue("the large object's bytes, unchanged", java.util.Arrays.equals(media,
                    moving.getBytes(base + "/content/" + largeObject, again, Map.of()).body()));

            // the home's SQLite file was set aside: no backup copies it as if it were the data
            String launcher = System.getProperty("enigm.launcher");
            Path backup = home.resolveSibling(home.getFileName() + "-backup");
            Distributions.Launched copied = Distributions.run(List.of(launcher, "--no-build", "backup",
                    backup.toString(), "--home", home.toString(), "--database-url", url));
            assertEquals(copied.output(), 1, copied.exit());
            assertTrue(copied.output(), copied.output().contains("keeps its data in PostgreSQL"));
            Distributions.Launched shell = Distributions.run(List.of(launcher, "--no-build", "shell", "--home",
                    home.toString(), "enigm:backup", backup.toString()));
            assertEquals(shell.output(), 1, shell.exit());
            assertTrue(shell.output(), shell.output().contains("keeps its data in PostgreSQL"));
            assertTrue(Files.exists(home.resolve("enigm.db.moved-to-postgresql")));
            assertTrue(!Files.exists(backup));
        } finally {
            onPostgres.stop();
        }
    }
}
