package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The assembled distribution, started by {@code ./enigm-server} as an operator would: the data
 * home's permissions, the owner token across restarts, removing administrators, and what
 * anonymous clients can make the audit log hold.
 */
public class DataHomeAndTokensIT {

    private static final String PIN = "314159";

    private static Path home;
    private static ServerProcess server;
    private static Api api;

    @BeforeClass
    public static void startServer() throws Exception {
        home = Files.createTempDirectory("enigm-e2e-home-");
        server = new ServerProcess(home, "");
        api = server.api();
        server.start();
        assertEquals(204, withPin("PUT", "/api/v1/pin", owner(), null, "{\"pin\":\"" + PIN + "\"}").status());
    }

    @AfterClass
    public static void stopServer() throws InterruptedException {
        stop();
    }

    /** SIGTERM: the framework stops its components, which write what they hold back. */
    private static void stop() throws InterruptedException {
        assertTrue("exits within 30 s of SIGTERM", server.stop());
    }

    private static void restart() throws IOException, InterruptedException {
        stop();
        server.start();
    }

    private static String owner() throws IOException {
        return server.secret("owner-token");
    }

    private static String createEnvironment(String name) throws IOException {
        Api.Answer created = api.post("/api/v1/environments", owner(), "{\"name\":\"" + name + "\"}");
        assertEquals(created.body(), 201, created.status());
        return created.json().path("id").asText();
    }

    /** A token of {@code role} that lasts an hour, or less for the ones its issuer's lifetime bounds. */
    private static JsonNode mint(String issuer, String role, String environment) {
        int ttl = role.equals("ADMINISTRATOR") ? 3600 : 1800;
        Api.Answer minted = api.post("/api/v1/admin-tokens", issuer, "{\"role\":\"" + role + "\",\"environmentId\":\""
                + environment + "\",\"ttlSeconds\":" + ttl + ",\"label\":\"" + role.toLowerCase(java.util.Locale.ROOT) + "\"}");
        assertEquals(minted.body(), 201, minted.status());
        return minted.json();
    }

    /**
     * A request with the critical-operation PIN in X-Enigm-Confirm ({@code null}: none), allowed a
     * minute: the PIN's deliberately slow derivation takes long on a loaded machine.
     */
    private static Api.Answer withPin(String method, String path, String token, String pin, String json) {
        return api.send(method, path, token, pin == null ? Map.of() : Map.of("X-Enigm-Confirm", pin), json,
                Duration.ofMinutes(1));
    }

    /** Every audit record of the installation, oldest first. */
    private static List<JsonNode> auditRecords() throws IOException {
        List<JsonNode> records = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/api/v1/audit?limit=200" + (cursor == null ? "" : "&cursor=" + cursor), owner())
                    .json();
            page.path("items").forEach(records::add);
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);
        return records;
    }

    @Test
    public void everythingUnderTheDataHomeIsOwnerOnlyAfterStartAndWrites() throws IOException {
        String environment = createEnvironment("Private");
        mint(owner(), "ADMINISTRATOR", environment);
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(home)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                modes.put(home.relativize(path).toString(),
                        PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            }
        }
        assertTrue(modes.toString(), modes.keySet().containsAll(List.of("", "enigm.db", "enigm.db-wal",
                "enigm.db-shm", "secrets/owner-token", "config", "cache", "tmp")));
        modes.forEach((path, mode) -> {
            if (Files.isDirectory(home.resolve(path))) {
                assertEquals("directory " + path, "rwx------", mode);
            } else {
                // the one executable: SQLite's native library, which sqlite-jdbc marks so itself
                assertTrue("file " + path + " is " + mode, mode.equals("rw-------") || mode.equals("rwx------"));
            }
        });
    }

    @Test
    public void aDataHomeOpenToOtherUsersIsRefusedWithWhatToDo() throws Exception {
        Path open = Files.createTempDirectory("enigm-e2e-open-");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        ServerProcess openServer = new ServerProcess(open, "");
        Process refused = openServer.launch();
        assertTrue("exits", refused.waitFor(60, TimeUnit.SECONDS));
        assertNotEquals(0, refused.exitValue());
        String said = openServer.output();
        assertTrue(said, said.contains("open to other users") && said.contains("chmod -R go-rwx " + open));
        try (Stream<Path> created = Files.list(open)) {
            assertEquals("nothing was written into it", List.of(), created.toList());
        }
    }

    @Test
    public void removingAnAdministratorNeedsThePinTakesWhatItMintedAndNeverTheLastOwner() throws IOException {
        String environment = createEnvironment("Administered");
        JsonNode administrator = mint(owner(), "ADMINISTRATOR", environment);
        JsonNode minted = mint(administrator.path("token").asText(), "DEVICE_ADMIN", environment);
        String path = "/api/v1/admin-tokens/" + administrator.path("id").asText();

        withPin("DELETE", path, owner(), null, null).problem(403);
        withPin("DELETE", path, owner(), "000000", null).problem(403);
        assertEquals(200, api.get("/api/v1/environments/" + environment, minted.path("token").asText()).status());

        assertEquals(204, withPin("DELETE", path, owner(), PIN, null).status());
        api.get("/api/v1/environments/" + environment, administrator.path("token").asText()).problem(401);
        api.get("/api/v1/environments/" + environment, minted.path("token").asText()).problem(401);

        String ownerId = null;
        for (JsonNode token : api.get("/api/v1/admin-tokens?limit=200", owner()).json().path("items")) {
            if (token.path("role").asText().equals("OWNER") && token.path("revokedAt").isNull()) {
                ownerId = token.path("id").asText();
            }
        }
        withPin("DELETE", "/api/v1/admin-tokens/" + ownerId, owner(), PIN, null).problem(409);
        assertEquals(200, api.get("/api/v1/environments", owner()).status());
    }

    @Test
    public void deletingTheOwnerTokenFileAndRestartingRotatesIt() throws Exception {
        String environment = createEnvironment("Rotated");
        String old = owner();
        JsonNode administrator = mint(old, "ADMINISTRATOR", environment);

        Files.delete(home.resolve("secrets").resolve("owner-token"));
        restart();

        String rotated = owner();
        assertNotEquals(old, rotated);
        api.get("/api/v1/environments", old).problem(401);
        assertEquals(200, api.get("/api/v1/environments", rotated).status());
        assertEquals("the owner's delegations stay", 200,
                api.get("/api/v1/environments/" + environment, administrator.path("token").asText()).status());
        assertFalse("the token itself is never printed", server.output().contains(rotated));
        List<JsonNode> records = auditRecords();
        assertTrue(records.stream().anyMatch(record -> record.path("action").asText().equals("admin-token.rotate")));
    }

    @Test
    public void anonymousFloodsLeaveABoundedAuditTrailWithoutTheirPaths() throws Exception {
        String environment = createEnvironment("Probed");
        int before = auditRecords().size();
        String garbage = "x".repeat(180);
        int requests = 0;
        for (int i = 0; i < 150; i++) {
            api.get("/api/v1/environments/" + garbage + i + "/members", null).problem(401);
            api.get("/api/v1/environments/" + environment + "/members", null).problem(401);
            api.post("/api/v1/environments", null, "{\"name\":\"n\"}").problem(401);
            requests += 3;
        }
        restart(); // what the window still counted is written when the server stops

        List<JsonNode> all = auditRecords();
        List<JsonNode> refusals = all.subList(before, all.size()).stream()
                .filter(record -> record.path("category").asText().equals("AUTHENTICATION"))
                .filter(record -> List.of("member.list", "environment.create").contains(record.path("action").asText()))
                .toList();
        long represented = refusals.stream().mapToLong(record -> Long.parseLong(record.path("target").asText())).sum();
        assertEquals("every refusal is counted", requests, represented);
        // three keys (member.list anywhere, member.list in the environment, environment.create): each
        // recorded once at once, then once per window the flood spans (one or two), or at the stop
        assertTrue("a few records, not one per request: " + refusals.size(), refusals.size() <= 9);
        for (JsonNode record : refusals) {
            assertEquals("DENIED", record.path("outcome").asText());
            assertFalse("no caller path in the audit: " + record, record.toString().contains(garbage));
            String attributed = record.path("environmentId").asText(null);
            assertTrue(record.toString(), attributed == null || attributed.equals(environment));
        }
        assertTrue(refusals.stream().anyMatch(record -> environment.equals(record.path("environmentId").asText(null))));
    }
}
