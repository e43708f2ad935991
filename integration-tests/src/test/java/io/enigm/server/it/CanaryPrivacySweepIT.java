package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A canary privacy sweep. Known raw values (account handles, device keys, an ICCID, a Key serial and
 * key, tokens, the PIN, display names) go in through a scenario against the assembled distribution
 * with the eSIM and Key providers deployed; then the data home (every file: database, WAL, secrets,
 * configuration, cache, the log files under logs/), the server's output, the audit export, the
 * security events and every GET answer are searched, byte for byte and in the usual encodings, for each of them. Where a value may
 * appear is the table in {@link #PLACES}, also in docs/security.md ("Where raw values may appear").
 *
 * <p>After the GETs the scenario drives every source of security events (forged signatures up to the
 * defensive response, a replayed nonce, a PIN lockout, a join flood, guessed invite codes, device
 * lifecycle, a lost Key, a token used outside its environment), so that the installation-wide feed
 * and the audit export searched then hold all of them: neither may carry a raw value, nor the
 * client's address, 127.0.0.1 (docs/security-events.md).
 */
public class CanaryPrivacySweepIT {

    /** Where a value may be found. */
    private enum Place {
        /** the database's own files: enigm.db and its WAL and shared-memory index */
        DATABASE,
        /** one named file under secrets/ */
        SECRET_FILE,
        /** the answers of the membership administrators' routes under …/join-requests and …/members */
        MEMBERSHIP_ANSWERS
    }

    /** A raw value, its kind, and where it may appear (nowhere else). */
    private record Canary(String kind, byte[] raw, Set<Place> allowed, String secretFile) {

        static Canary text(String kind, String value, Place... allowed) {
            return new Canary(kind, value.getBytes(StandardCharsets.UTF_8), Set.of(allowed), null);
        }

        static Canary secret(String kind, String value, String file) {
            return new Canary(kind, value.getBytes(StandardCharsets.UTF_8), Set.of(Place.SECRET_FILE), file);
        }

        /** The value as bytes, and as Base64, Base64url and hex text: how software tends to write bytes. */
        List<byte[]> encodings() {
            List<byte[]> encodings = new ArrayList<>();
            encodings.add(raw);
            encodings.add(Base64.getEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.US_ASCII));
            encodings.add(Base64.getUrlEncoder().withoutPadding().encodeToString(raw).getBytes(StandardCharsets.US_ASCII));
            encodings.add(HexFormat.of().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
            encodings.add(HexFormat.of().withUpperCase().formatHex(raw).getBytes(StandardCharsets.US_ASCII));
            return encodings;
        }
    }

    /** The table of where each kind of raw value may appear, as docs/security.md states it. */
    static final Map<String, String> PLACES = new LinkedHashMap<>();

    static {
        PLACES.put("account handle", "nowhere: stored as a per-environment HMAC handle");
        PLACES.put("ICCID", "nowhere: stored as a handle");
        PLACES.put("Key serial", "nowhere: stored as a handle");
        PLACES.put("PIN (right or wrong)", "nowhere: stored as a salted PBKDF2 hash");
        PLACES.put("admin token", "nowhere: stored as SHA-256; shown once in the answer that mints it");
        PLACES.put("session token", "nowhere: stored as SHA-256; shown once in the answer that grants it");
        PLACES.put("invite code", "nowhere: stored as a hash; shown once in the answer that creates it");
        PLACES.put("owner token", "only secrets/owner-token");
        PLACES.put("console password", "only secrets/console-password");
        PLACES.put("metrics token", "only secrets/metrics-token");
        PLACES.put("device public key", "only the database files (signatures need it)");
        PLACES.put("Key public key", "only the database files (the Key's answers are checked with it)");
        PLACES.put("display name", "only the database files, the membership administrators' answers and, where the"
                + " visibility rules show names, the member directory");
    }

    private static final String PIN = "739154";
    /** The client's address in every request of the scenario (Api calls the loopback): events and audit records never carry it. */
    private static final String CLIENT_ADDRESS = "127.0.0.1";
    /** A small join queue, so that the scenario can flood it. */
    private static final int MAX_PENDING = 4;
    private static final String WRONG_PIN = "551177";

    private static Path home;
    private static Path deploy;
    private static ServerProcess server;
    private static final List<Canary> canaries = new ArrayList<>();
    /** Every GET answer of the scenario and the sweep, by the path asked. */
    private static final Map<String, String> answers = new TreeMap<>();
    private static String auditExport;
    private static String securityEvents;
    /** The categories of every event in the installation-wide feed. */
    private static final Set<String> eventCategories = new java.util.TreeSet<>();
    private static String outputWhileRunning;
    private static Map<Path, byte[]> filesWhileRunning;

    @BeforeClass
    public static void runTheScenario() throws Exception {
        home = Files.createTempDirectory("enigm-canary-");
        deploy = Files.createTempDirectory("enigm-canary-deploy-");
        Files.writeString(deploy.resolve("io.enigm.server.membership.cfg"), "maxPendingJoinRequests=" + MAX_PENDING
                + "\n");
        for (String provider : List.of("enigm.provider.esim", "enigm.provider.key")) {
            Path jar = Path.of(System.getProperty(provider));
            Files.copy(jar, deploy.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        // this run's own deploy folder, so the shared distribution is left as it is
        server = new ServerProcess(home, "-Dfelix.fileinstall.dir=" + deploy + ","
                + Path.of(System.getProperty("enigm.distribution")).resolve("conf"));
        server.start();
        Scenario scenario = new Scenario(server.api(), server.secret("owner-token"));
        scenario.run();
        canaries.add(Canary.secret("owner token", server.secret("owner-token"), "owner-token"));
        canaries.add(Canary.secret("console password", server.secret("console-password"), "console-password"));
        canaries.add(Canary.secret("metrics token", server.secret("metrics-token"), "metrics-token"));
        canaries.addAll(scenario.canaries);
        sweepEveryGet(scenario);
        scenario.raiseSecurityEvents();
        auditExport = scenario.get("/api/v1/audit/export");
        securityEvents = scenario.everySecurityEvent();
        answers.putAll(scenario.answers);
        filesWhileRunning = files(home);
        outputWhileRunning = server.output();
    }

    @AfterClass
    public static void stopAndClean() throws Exception {
        if (server != null) {
            server.close();
        }
        for (Path dir : new Path[] {home, deploy}) {
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
        }
    }

    @Test
    public void noRawValueAppearsWhereItMustNot() throws Exception {
        List<String> found = new ArrayList<>();
        for (Canary canary : canaries) {
            filesWhileRunning.forEach((file, bytes) -> {
                if (!allowedIn(canary, file)) {
                    search(found, canary, "data home file " + home.relativize(file) + " (server running)", bytes);
                }
            });
            search(found, canary, "the server's output", outputWhileRunning.getBytes(StandardCharsets.UTF_8));
            search(found, canary, "the audit export", auditExport.getBytes(StandardCharsets.UTF_8));
            search(found, canary, "the security events", securityEvents.getBytes(StandardCharsets.UTF_8));
            answers.forEach((path, body) -> {
                boolean membership = path.contains("/join-requests") || path.contains("/members");
                if (!(membership && canary.allowed().contains(Place.MEMBERSHIP_ANSWERS))) {
                    search(found, canary, "GET " + path, body.getBytes(StandardCharsets.UTF_8));
                }
            });
        }
        // What a stopped server leaves behind: the WAL checkpointed into the database, the full output.
        server.close();
        Map<Path, byte[]> stopped = files(home);
        for (Canary canary : canaries) {
            stopped.forEach((file, bytes) -> {
                if (!allowedIn(canary, file)) {
                    search(found, canary, "data home file " + home.relativize(file) + " (server stopped)", bytes);
                }
            });
            search(found, canary, "the server's output after it stopped",
                    server.output().getBytes(StandardCharsets.UTF_8));
        }
        assertTrue("raw values where they must not be (see PLACES):\n" + String.join("\n", found), found.isEmpty());
    }

    /**
     * Every source the scenario drove left its events in the feed the sweep searched, and neither those
     * events nor any audit record carries the client's address.
     */
    @Test
    public void securityEventsOfEverySourceCarryNoRawValueNorTheClientAddress() {
        assertEquals("the sources the scenario drove", Set.of(), missing(Set.of("SESSION_SIGNATURE_FORGED",
                "SESSION_NONCE_UNKNOWN", "REPEATED_FAILURES", "DEVICE_RESTRICTED_AUTOMATICALLY", "PIN_LOCKOUT",
                "JOIN_FLOOD", "INVITE_CODE_GUESSED", "DEVICE_ENROLLED", "DEVICE_RESTRICTED", "DEVICE_TRUSTED",
                "DEVICE_RETIRED", "DEVICE_REVOKED", "DEVICE_KEY_LOST", "TOKEN_OUTSIDE_SCOPE")));
        List<String> found = new ArrayList<>();
        Canary address = Canary.text("client address", CLIENT_ADDRESS);
        search(found, address, "the security events", securityEvents.getBytes(StandardCharsets.UTF_8));
        search(found, address, "the audit export", auditExport.getBytes(StandardCharsets.UTF_8));
        assertTrue("the client's address where it must not be:\n" + String.join("\n", found), found.isEmpty());
    }

    private static Set<String> missing(Set<String> expected) {
        Set<String> missing = new java.util.TreeSet<>(expected);
        missing.removeAll(eventCategories);
        return missing;
    }

    /** The canaries are really in the places they may be: the sweep looks where they would show. */
    @Test
    public void theSweepFindsTheValuesWhereTheyMayBe() {
        for (Canary canary : canaries) {
            if (canary.allowed().contains(Place.SECRET_FILE)) {
                List<String> found = new ArrayList<>();
                search(found, canary, "its file", filesWhileRunning.get(home.resolve("secrets").resolve(canary.secretFile())));
                assertEquals(canary.kind() + " is in its secret file", 1, found.size());
            }
            if (canary.allowed().contains(Place.MEMBERSHIP_ANSWERS)) {
                List<String> found = new ArrayList<>();
                answers.forEach((path, body) -> search(found, canary, path, body.getBytes(StandardCharsets.UTF_8)));
                assertTrue(canary.kind() + " is shown to membership administrators", !found.isEmpty());
            }
        }
        List<String> keys = new ArrayList<>();
        Canary deviceKey = canaries.stream().filter(c -> c.kind().startsWith("device public key")).findFirst().orElseThrow();
        filesWhileRunning.forEach((file, bytes) -> search(keys, deviceKey, file.toString(), bytes));
        assertTrue("a device's public key is stored where signatures need it", !keys.isEmpty());
    }

    /**
     * The server's log file under the data home was among the files swept, holding what the server
     * logged while the scenario ran (the PIN lockout it provokes): the sweep looked where a careless log
     * line would land.
     */
    @Test
    public void theLogFileUnderTheDataHomeWasSweptWithTheScenariosLines() {
        byte[] log = filesWhileRunning.get(home.resolve("logs").resolve("enigm.log"));
        assertTrue("logs/enigm.log was swept: " + filesWhileRunning.keySet(), log != null);
        String text = new String(log, StandardCharsets.UTF_8);
        assertTrue("the log holds the server's start", text.contains("OWNER token in " + home.resolve("secrets")));
        assertTrue("the log holds the scenario's PIN lockout", text.contains("Critical-operation PIN locked for"));
    }

    /** DESIGN §4.9: everything under the data home is readable by its owner only. */
    @Test
    public void everythingUnderTheDataHomeIsOwnerOnly() throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(home)) {
            paths.forEach(path -> {
                try {
                    String permissions = PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
                    // a file may keep its owner's execute bit: SQLite's native library, extracted to tmp/, has it
                    boolean ownerOnly = Files.isDirectory(path) ? permissions.equals("rwx------")
                            : permissions.equals("rw-------") || permissions.equals("rwx------");
                    if (!ownerOnly) {
                        open.add(home.relativize(path) + " " + permissions);
                    }
                } catch (IOException e) {
                    // gone since the walk listed it (SQLite's WAL at shutdown)
                }
            });
        }
        assertTrue("not owner-only under the data home:\n" + String.join("\n", open), open.isEmpty());
    }

    private static boolean allowedIn(Canary canary, Path file) {
        String name = home.relativize(file).toString();
        if (canary.allowed().contains(Place.DATABASE) && name.matches("enigm\\.db(-wal|-shm|-journal)?")) {
            return true;
        }
        return canary.allowed().contains(Place.SECRET_FILE) && name.equals("secrets/" + canary.secretFile());
    }

    private static void search(List<String> found, Canary canary, String where, byte[] haystack) {
        if (haystack == null) {
            return;
        }
        String text = new String(haystack, StandardCharsets.ISO_8859_1);
        List<byte[]> encodings = canary.encodings();
        String[] names = {"raw", "Base64", "Base64url", "hex", "HEX"};
        for (int i = 0; i < encodings.size(); i++) {
            if (text.contains(new String(encodings.get(i), StandardCharsets.ISO_8859_1))) {
                found.add(canary.kind() + " (" + names[i] + ") in " + where);
            }
        }
    }

    private static Map<Path, byte[]> files(Path root) throws IOException {
        Map<Path, byte[]> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Iterator<Path> it = paths.filter(Files::isRegularFile).iterator(); it.hasNext();) {
                Path file = it.next();
                try {
                    files.put(file, Files.readAllBytes(file));
                } catch (IOException e) {
                    // removed while walking (a journal, the bundle cache's temporaries)
                }
            }
        }
        return files;
    }

    /** Every GET route of the OpenAPI document, with the scenario's real ids. */
    private static void sweepEveryGet(Scenario scenario) {
        JsonNode paths = scenario.getJson("/api/v1/openapi.json").path("paths");
        Map<String, String> ids = scenario.ids();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getValue().has("get")) {
                continue;
            }
            String filled = path.getKey();
            for (Map.Entry<String, String> id : ids.entrySet()) {
                filled = filled.replace("{" + id.getKey() + "}", id.getValue());
            }
            assertTrue("the scenario has an id for every parameter of " + path.getKey(), !filled.contains("{"));
            JsonNode get = path.getValue().path("get");
            if (path.getKey().equals("/join-requests/{request}")) {
                scenario.followPending();
            } else if (path.getKey().equals("/environments/{env}/directory")) {
                scenario.readDirectory("/api/v1" + filled);
            } else if (get.path("responses").path("200").path("content").has("text/event-stream")) {
                continue; // a stream that stays open: its events carry ids only (ContentIT)
            } else if (get.path("security").toString().contains("sessionToken")) {
                scenario.getAsDevice("/api/v1" + filled);
            } else {
                scenario.get("/api/v1" + filled);
            }
        }
        for (String list : List.of("/join-requests?state=APPROVED", "/join-requests?state=PENDING", "/members?state=ACTIVE",
                "/audit?limit=500", "/sessions?limit=500", "/devices?limit=500")) {
            scenario.get(scenario.base + list);
        }
        scenario.get("/api/v1/audit?limit=500");
        scenario.get("/api/v1/admin-tokens?limit=500");
    }

    /**
     * What an installation goes through, with a canary in every field that takes a raw value:
     * members join (by request and by invite), one stays pending, devices open and renew sessions,
     * an eSIM and a Key are linked, tokens are minted, the PIN is set and once mistyped, and a few
     * hostile requests carry canaries where the server must refuse them.
     */
    private static final class Scenario {

        final List<Canary> canaries = new ArrayList<>();
        final Map<String, String> answers = new TreeMap<>();
        private final Api api;
        private final String owner;
        private final String tag = Long.toString(System.nanoTime(), 36);
        String environmentId;
        String base;
        private Api.Enrolled alice;
        private DeviceKey bobKey;
        private String bobRequest;
        private String invite;
        private String session;
        private String sessionToken;
        private String content;
        private String deletion;
        private String tokenId;
        private String esim;
        private String key;

        Scenario(Api api, String owner) {
            this.api = api;
            this.owner = owner;
        }

        void run() throws Exception {
            awaitProviders();
            ok(api.send("PUT", "/api/v1/pin", owner, Map.of(), "{\"pin\":\"" + PIN + "\"}"), 204);
            canaries.add(Canary.text("PIN", PIN));
            JsonNode environment = ok(api.post("/api/v1/environments", owner, "{\"name\":\"Canary\"}"), 201);
            environmentId = environment.path("id").asText();
            base = "/api/v1/environments/" + environmentId;
            String serverId = environment.path("serverId").asText();
            ok(api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}"), 200);

            JsonNode minted = ok(api.post("/api/v1/admin-tokens", owner, "{\"role\":\"ADMINISTRATOR\",\"environmentId\":\""
                    + environmentId + "\",\"ttlSeconds\":3600,\"label\":\"canary administrator\"}"), 201);
            String administrator = minted.path("token").asText();
            tokenId = minted.path("id").asText();
            canaries.add(Canary.text("admin token", administrator));
            get(base + "/members", administrator);

            // Alice joins by request with a display name and is approved.
            DeviceKey aliceKey = DeviceKey.generate();
            String aliceAccount = "canary-alice-" + tag + "@example.org";
            String aliceName = "Canary Alice " + tag;
            String aliceRequest = api.submitJoin(serverId, aliceAccount, aliceKey.publicKey(), aliceName).path("id").asText();
            JsonNode approved = ok(api.post(base + "/join-requests/" + aliceRequest + "/approve", administrator,
                    "{\"deviceFingerprint\":\"" + api.pendingFingerprint(base, owner, aliceRequest) + "\"}"), 200);
            alice = new Api.Enrolled(aliceRequest, approved.path("memberId").asText(), approved.path("deviceId").asText());
            deviceCanaries("device public key (alice)", aliceKey);
            canaries.add(Canary.text("account handle (alice)", aliceAccount));
            canaries.add(Canary.text("display name (alice, approved)", aliceName, Place.DATABASE));

            // Bob's request stays pending: his display name is shown to membership administrators.
            bobKey = DeviceKey.generate();
            String bobAccount = "canary-bob-" + tag + "@example.org";
            String bobName = "Canary Bob " + tag;
            bobRequest = api.submitJoin(serverId, bobAccount, bobKey.publicKey(), bobName).path("id").asText();
            deviceCanaries("device public key (bob, pending)", bobKey);
            canaries.add(Canary.text("account handle (bob, pending)", bobAccount));
            canaries.add(Canary.text("display name (bob, pending)", bobName, Place.DATABASE, Place.MEMBERSHIP_ANSWERS));

            // Carol comes with an invite code and is admitted on arrival.
            JsonNode created = ok(api.post(base + "/invites", administrator, "{\"ttlSeconds\":3600}"), 201);
            invite = created.path("id").asText();
            String code = created.path("code").asText();
            canaries.add(Canary.text("invite code", code));
            DeviceKey carolKey = DeviceKey.generate();
            String carolAccount = "canary-carol-" + tag + "@example.org";
            JsonNode carol = ok(api.post("/api/v1/join-requests", null, Api.JSON.createObjectNode()
                    .put("serverId", serverId).put("accountHandle", carolAccount)
                    .put("devicePublicKey", carolKey.encodedPublicKey()).put("inviteCode", code).toString()), 202);
            assertEquals(carol.toString(), "APPROVED", carol.path("state").asText());
            deviceCanaries("device public key (carol)", carolKey);
            canaries.add(Canary.text("account handle (carol)", carolAccount));

            // Alice opens a session and renews it.
            JsonNode grant = api.openSession(environmentId, alice.deviceId(), aliceKey);
            session = grant.path("sessionId").asText();
            canaries.add(Canary.text("session token (opened)", grant.path("sessionToken").asText()));
            String nonce = api.challenge(environmentId, alice.deviceId());
            JsonNode renewed = ok(api.post(base + "/sessions/" + session + "/renew", grant.path("sessionToken").asText(),
                    aliceKey.renewalProof(environmentId, alice.deviceId(), session, nonce)), 200);
            sessionToken = renewed.path("sessionToken").asText();
            canaries.add(Canary.text("session token (renewed)", sessionToken));
            // An administrator deletes what Alice's device stored so far; then it stores a message for every member.
            ok(api.postBytes(base + "/content", sessionToken, Map.of("X-Enigm-Surface", "MESSAGES"),
                    new byte[] {6, 6, 6}), 201);
            deletion = ok(api.post(base + "/content/deletions", administrator, "{\"scope\":\"MEMBER\",\"memberId\":\""
                    + alice.memberId() + "\"}"), 201).path("id").asText();
            content = ok(api.postBytes(base + "/content", sessionToken, Map.of("X-Enigm-Surface", "MESSAGES"),
                    new byte[] {7, 7, 7}), 201).path("id").asText();

            // An eSIM and an Enigm Key for Alice's device: administrative operations, no device evidence.
            String iccid = "8944" + String.format("%015d", Math.floorMod(tag.hashCode(), 1_000_000_000_000_000L));
            ok(api.post(base + "/devices/" + alice.deviceId() + "/attestations/" + esim, administrator,
                    "{\"operation\":\"activate\",\"iccid\":\"" + iccid + "\"}"), 200);
            ok(api.post(base + "/devices/" + alice.deviceId() + "/attestations/" + esim, administrator,
                    "{\"operation\":\"bind\"}"), 200);
            canaries.add(Canary.text("ICCID", iccid));
            KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
            ec.initialize(new ECGenParameterSpec("secp256r1"));
            byte[] keyPublic = ec.generateKeyPair().getPublic().getEncoded();
            String serial = "CANARY-KEY-" + tag.toUpperCase();
            ok(api.post(base + "/devices/" + alice.deviceId() + "/attestations/" + key, administrator,
                    Api.JSON.createObjectNode().put("operation", "link")
                            .put("publicKey", Base64.getEncoder().encodeToString(keyPublic))
                            .put("serial", serial).toString()), 200);
            canaries.add(Canary.text("Key serial", serial));
            canaries.add(new Canary("Key public key", keyPublic, Set.of(Place.DATABASE), null));

            hostileRequests(serverId, administrator, aliceKey);
        }

        /**
         * Requests the server must refuse, each carrying a canary where an attacker or a mistaken
         * client would put one: a wrong PIN, a join with a malformed key, a forged session, a bad token.
         */
        private void hostileRequests(String serverId, String administrator, DeviceKey aliceKey) {
            canaries.add(Canary.text("PIN (wrong)", WRONG_PIN));
            api.send("POST", base + "/lifecycle", administrator, Map.of("X-Enigm-Confirm", WRONG_PIN),
                    "{\"action\":\"close\"}").problem(403);
            String refusedAccount = "canary-refused-" + tag + "@example.org";
            canaries.add(Canary.text("account handle (refused join)", refusedAccount));
            int status = api.post("/api/v1/join-requests", null, Api.JSON.createObjectNode().put("serverId", serverId)
                    .put("accountHandle", refusedAccount).put("devicePublicKey", "bm90IGEga2V5").toString()).status();
            assertTrue("a malformed key is refused: " + status, status >= 400 && status < 500);
            api.trySession(environmentId, alice.deviceId(), DeviceKey.generate()).problem(401);
            String forgedToken = "enigm_at_canary" + tag + "forgedtokenvalue";
            canaries.add(Canary.text("admin token (forged)", forgedToken));
            api.get(base + "/members", forgedToken).problem(401);
        }

        /**
         * Drives every source of security events, once the GETs no longer need Alice's session: device
         * lifecycle, a lost Key, forged signatures up to the defensive response, a replayed nonce, a
         * token used outside its environment, a guessed invite code, a PIN lockout and a join flood.
         */
        void raiseSecurityEvents() {
            String serverId = getJson(base).path("serverId").asText();
            ok(api.send("PATCH", base, owner, Map.of(), "{\"defensiveResponse\":{\"failures\":3,"
                    + "\"windowSeconds\":600}}"), 200);
            DeviceKey erinKey = DeviceKey.generate();
            String erinAccount = "canary-erin-" + tag + "@example.org";
            canaries.add(Canary.text("account handle (erin)", erinAccount));
            deviceCanaries("device public key (erin)", erinKey);
            Api.Enrolled erin = api.enrolMember(base, owner, erinAccount, erinKey.publicKey());
            String erinDevice = base + "/devices/" + erin.deviceId() + "/trust";
            for (String state : List.of("RESTRICTED", "TRUSTED", "RETIRED")) {
                ok(api.post(erinDevice, owner, "{\"state\":\"" + state + "\"}"), 200);
            }
            DeviceKey daveKey = DeviceKey.generate();
            String daveAccount = "canary-dave-" + tag + "@example.org";
            canaries.add(Canary.text("account handle (dave)", daveAccount));
            deviceCanaries("device public key (dave)", daveKey);
            Api.Enrolled dave = api.enrolMember(base, owner, daveAccount, daveKey.publicKey());
            // a replay: the nonce of an opened session, signed correctly, presented again
            String nonce = api.challenge(environmentId, dave.deviceId());
            String proof = daveKey.sessionProof(environmentId, dave.deviceId(), nonce);
            JsonNode opened = ok(api.post(base + "/sessions", null, proof), 201);
            canaries.add(Canary.text("session token (dave)", opened.path("sessionToken").asText()));
            api.post(base + "/sessions", null, proof).problem(401);
            // forged signatures: the defensive response restricts the device at the third failure
            for (int i = 0; i < 5; i++) {
                api.trySession(environmentId, dave.deviceId(), DeviceKey.generate()).problem(401);
            }
            ok(api.send("DELETE", base + "/devices/" + dave.deviceId(), owner, Map.of(), null), 204);
            ok(api.post(base + "/devices/" + alice.deviceId() + "/attestations/" + key, owner,
                    "{\"operation\":\"mark-lost\"}"), 200);
            // an environment's token on the installation's feed
            String administrator = ok(api.post("/api/v1/admin-tokens", owner, "{\"role\":\"ADMINISTRATOR\","
                    + "\"environmentId\":\"" + environmentId + "\",\"ttlSeconds\":3600,\"label\":\"canary"
                    + " reviewer\"}"), 201).path("token").asText();
            canaries.add(Canary.text("admin token (outside its scope)", administrator));
            api.get("/api/v1/security-events", administrator).problem(403);
            // an invite code nobody issued
            String guess = "CANARY-GUESS-" + tag.toUpperCase();
            canaries.add(Canary.text("invite code (guessed)", guess));
            DeviceKey guesser = DeviceKey.generate();
            deviceCanaries("device public key (guesser)", guesser);
            ok(api.post("/api/v1/join-requests", null, Api.JSON.createObjectNode().put("serverId", serverId)
                    .put("accountHandle", "canary-guesser-" + tag + "@example.org")
                    .put("devicePublicKey", guesser.encodedPublicKey()).put("inviteCode", guess).toString()), 202);
            canaries.add(Canary.text("account handle (guesser)", "canary-guesser-" + tag + "@example.org"));
            // the PIN: four more wrong ones after the scenario's first lock it
            for (int i = 0; i < 4; i++) {
                api.send("POST", base + "/lifecycle", owner, Map.of("X-Enigm-Confirm", WRONG_PIN),
                        "{\"action\":\"close\"}");
            }
            floodTheJoinQueue(serverId);
        }

        /** Files join requests until the environment's queue refuses them (429), a bounded number. */
        private void floodTheJoinQueue(String serverId) {
            for (int i = 0; i < 600; i++) {
                String account = "canary-flood-" + i + "-" + tag + "@example.org";
                Api.Answer answer = api.post("/api/v1/join-requests", null, Api.JSON.createObjectNode()
                        .put("serverId", serverId).put("accountHandle", account)
                        .put("devicePublicKey", DeviceKey.generate().encodedPublicKey()).toString());
                if (answer.status() == 429) {
                    canaries.add(Canary.text("account handle (flood)", account));
                    return;
                }
                assertEquals(answer.body(), 202, answer.status());
            }
            throw new AssertionError("the join queue never refused a request");
        }

        /** The installation-wide feed, every page; notes each event's category. */
        String everySecurityEvent() {
            StringBuilder all = new StringBuilder();
            String cursor = null;
            do {
                String page = get("/api/v1/security-events?limit=500" + (cursor == null ? "" : "&cursor=" + cursor));
                all.append(page).append('\n');
                JsonNode json;
                try {
                    json = Api.JSON.readTree(page);
                } catch (IOException e) {
                    throw new AssertionError("the feed is not JSON", e);
                }
                json.path("items").forEach(event -> eventCategories.add(event.path("category").asText()));
                cursor = json.path("next").isTextual() ? json.path("next").asText() : null;
            } while (cursor != null);
            return all.toString();
        }

        /** A device key as DER, and as the raw 32 bytes of the Ed25519 point. */
        private void deviceCanaries(String kind, DeviceKey key) {
            byte[] der = key.publicKey().getEncoded();
            canaries.add(new Canary(kind, der, Set.of(Place.DATABASE), null));
            canaries.add(new Canary(kind + ", raw point", java.util.Arrays.copyOfRange(der, der.length - 32, der.length),
                    Set.of(Place.DATABASE), null));
        }

        /** Waits for the deployed eSIM and Key providers; notes their types. */
        private void awaitProviders() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (esim == null || key == null) {
                assertTrue("the eSIM and Key providers are deployed", System.nanoTime() < deadline);
                Thread.sleep(100);
                for (JsonNode provider : api.get("/api/v1/providers", owner).json().path("items")) {
                    switch (provider.path("category").asText()) {
                        case "ESIM_BINDING" -> esim = provider.path("type").asText();
                        case "HARDWARE_KEY" -> key = provider.path("type").asText();
                        default -> {
                            // not used by the scenario
                        }
                    }
                }
            }
        }

        /** The ids of the scenario by path parameter name. */
        Map<String, String> ids() {
            return Map.ofEntries(Map.entry("env", environmentId), Map.entry("member", alice.memberId()),
                    Map.entry("device", alice.deviceId()), Map.entry("request", bobRequest), Map.entry("invite", invite),
                    Map.entry("session", session), Map.entry("token", tokenId), Map.entry("type", key),
                    Map.entry("content", content), Map.entry("job", deletion));
        }

        /** Alice's device reads the member directory with her session, opened to ids without names. */
        void readDirectory(String path) {
            ok(api.send("PATCH", base, owner, Map.of(),
                    "{\"visibility\":{\"memberDirectory\":true,\"displayNames\":false}}"), 200);
            get(path, sessionToken);
        }

        /** Bob's device follows its pending request, signed as API.md says. */
        void followPending() {
            answers.put("/api/v1/join-requests/" + bobRequest, api.signedJoin("GET", bobRequest, bobKey).body());
        }

        String get(String path) {
            return get(path, owner);
        }

        /** A member device's read, with Alice's session. */
        void getAsDevice(String path) {
            get(path, sessionToken);
        }

        JsonNode getJson(String path) {
            try {
                return Api.JSON.readTree(get(path));
            } catch (IOException e) {
                throw new AssertionError(path + " is not JSON", e);
            }
        }

        private String get(String path, String token) {
            Api.Answer answer = api.get(path, token);
            assertEquals(path + ": " + answer.body(), 200, answer.status());
            answers.put(path, answer.body());
            return answer.body();
        }

        private static JsonNode ok(Api.Answer answer, int status) {
            assertEquals(answer.body(), status, answer.status());
            return answer.body().isEmpty() ? null : answer.json();
        }
    }
}
