package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.PageRequest;
import io.enigm.server.store.Database;

/**
 * The membership scenario of issue 4 over HTTP inside a real Felix: create an environment, two
 * users ask to join, one is approved and one rejected, the approved member adds a second device
 * with a signed request, a device administrator restricts it, and removing the member revokes its
 * devices and closes its sessions. Tokens are minted through {@link AdminTokens}.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MembershipScenarioIT extends ApiFrameworkTest {

    private static final String UNKNOWN_SERVER_ID = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH";

    @Inject
    private AdminTokens tokens;
    @Inject
    private AuditLog audit;
    @Inject
    private Database database;


    @Test
    public void joinApproveAddADeviceRestrictItAndRemoveTheMember() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        JsonNode environment = created(api.post("/api/v1/environments", owner, "{\"name\":\"Scenario\"}"));
        String env = environment.path("id").asText();
        String base = "/api/v1/environments/" + env;
        String membershipAdmin = tokens.mint(AdminRole.MEMBERSHIP_ADMIN, env, Duration.ofHours(1), "it membership")
                .token();
        String deviceAdmin = tokens.mint(AdminRole.DEVICE_ADMIN, env, Duration.ofHours(1), "it devices").token();

        // Two users ask to join; an unknown server ID gets an answer of the same shape.
        DeviceKey alicePhone = DeviceKey.generate();
        DeviceKey bobPhone = DeviceKey.generate();
        JsonNode alice = join(environment.path("serverId").asText(), "alice@enigm", alicePhone, "Alice");
        JsonNode bob = join(environment.path("serverId").asText(), "bob@enigm", bobPhone, "Bob");
        JsonNode nowhere = join(UNKNOWN_SERVER_ID, "carol@enigm", DeviceKey.generate(), "Carol");
        assertEquals(fields(alice), fields(nowhere));
        assertEquals("PENDING", nowhere.path("state").asText());

        // The membership administrator sees both, with the codes the requesters saw, and decides.
        JsonNode pending = api.get(base + "/join-requests?state=PENDING", membershipAdmin).json();
        assertEquals(2, pending.path("items").size());
        for (JsonNode request : pending.path("items")) {
            JsonNode asked = request.path("id").asText().equals(alice.path("id").asText()) ? alice : bob;
            assertEquals(asked.path("verificationCode").asText(), request.path("verificationCode").asText());
            assertFalse(request.toString(), request.toString().contains("@enigm"));
        }
        api.post(base + "/join-requests/" + alice.path("id").asText() + "/approve", deviceAdmin, approval(alice))
                .problem(403);
        JsonNode approved = ok(api.post(base + "/join-requests/" + alice.path("id").asText() + "/approve",
                membershipAdmin, approval(alice)));
        assertEquals("APPROVED", approved.path("state").asText());
        assertEquals("REJECTED", ok(api.post(base + "/join-requests/" + bob.path("id").asText() + "/reject",
                membershipAdmin, "")).path("state").asText());
        api.post(base + "/join-requests/" + bob.path("id").asText() + "/approve", membershipAdmin, approval(bob))
                .problem(409);
        List<AuditRecord> approvals = audited("join-request.approve");
        AuditRecord approval = approvals.get(approvals.size() - 2);
        assertEquals(AuditOutcome.ALLOWED, approval.entry().outcome());
        assertEquals(alice.path("id").asText(), approval.entry().target());
        assertEquals(AuditOutcome.FAILED, approvals.get(approvals.size() - 1).entry().outcome());
        assertEquals("CONFLICT", approvals.get(approvals.size() - 1).entry().category());

        // Alice's device follows its request with signed requests and learns where it belongs.
        String request = "/api/v1/join-requests/" + alice.path("id").asText();
        api.get(request, null).problem(401);
        assertEquals(401, api.signedJoin("GET", alice.path("id").asText(), bobPhone).status());
        JsonNode status = api.signedJoin("GET", alice.path("id").asText(), alicePhone).json();
        assertEquals("APPROVED", status.path("state").asText());
        assertEquals(env, status.path("environmentId").asText());
        String member = status.path("memberId").asText();
        String phone = status.path("deviceId").asText();
        assertEquals("PENDING", ok(api.get(base + "/devices/" + phone, deviceAdmin)).path("trust").asText());
        ok(api.post(base + "/devices/" + phone + "/trust", deviceAdmin, "{\"state\":\"TRUSTED\"}"));

        // With a nonce signed by the trusted phone, Alice adds her laptop.
        DeviceKey laptopKey = DeviceKey.generate();
        String nonce = api.challenge(env, phone);
        String addition = alicePhone.deviceAddition(env, phone, laptopKey, nonce);
        JsonNode laptop = created(api.post(base + "/devices", null, addition));
        assertEquals(member, laptop.path("memberId").asText());
        assertFalse(laptop.toString().contains(laptopKey.encodedPublicKey()));
        api.post(base + "/devices", null, addition).problem(401); // the nonce is spent
        String laptopId = laptop.path("id").asText();

        // The device administrator restricts the laptop; trust and membership stay separate.
        ok(api.post(base + "/devices/" + laptopId + "/trust", deviceAdmin, "{\"state\":\"TRUSTED\"}"));
        assertEquals("RESTRICTED", ok(api.post(base + "/devices/" + laptopId + "/trust", deviceAdmin,
                "{\"state\":\"RESTRICTED\"}")).path("trust").asText());
        assertEquals("ACTIVE", ok(api.get(base + "/members/" + member, membershipAdmin)).path("state").asText());
        api.post(base + "/devices/" + laptopId + "/trust", deviceAdmin, "{\"state\":\"PENDING\"}").problem(422);

        // Sessions as the session flow writes them; removal closes them and revokes every device at once.
        openSession(env, member, phone);
        openSession(env, member, laptopId);
        assertEquals(2, ok(api.get(base + "/sessions?member=" + member, deviceAdmin)).path("items").size());
        api.get(base + "/members/" + member, deviceAdmin).problem(403);
        assertEquals(204, api.send("DELETE", base + "/members/" + member, membershipAdmin, null, new byte[0]).status());
        assertEquals("REMOVED", ok(api.get(base + "/members/" + member, membershipAdmin)).path("state").asText());
        JsonNode devices = ok(api.get(base + "/devices?member=" + member, deviceAdmin)).path("items");
        assertEquals(2, devices.size());
        for (JsonNode device : devices) {
            assertEquals("REVOKED", device.path("trust").asText());
        }
        assertEquals(0, ok(api.get(base + "/sessions?member=" + member, deviceAdmin)).path("items").size());
        api.post(base + "/sessions/challenge", null, "{\"deviceId\":\"" + phone + "\"}").problem(404);
        api.send("DELETE", base + "/members/" + member, membershipAdmin, null, new byte[0]).problem(409);

        // Every step above left its audit record, and the chain holds from the first record to the last.
        JsonNode verification = ok(api.get("/api/v1/audit/verify", owner));
        assertTrue(verification.toString(), verification.path("intact").asBoolean());
        assertEquals(verification.path("records").asLong(), verification.path("headSequence").asLong());
        assertTrue(verification.path("records").asLong() > 20);
        api.get("/api/v1/audit/verify", membershipAdmin).problem(403);

        // The export is the same chain, one record per line after its header and checkpoints, up to and
        // including its own record, then its signed head.
        Api.Answer export = api.get("/api/v1/audit/export", owner);
        assertEquals(200, export.status());
        assertEquals("application/jsonl", export.contentType().replaceAll(";.*", ""));
        String[] lines = export.body().split("\n");
        assertEquals("header", Api.JSON.readTree(lines[0]).path("type").asText());
        long sequence = 0;
        for (String line : lines) {
            JsonNode record = Api.JSON.readTree(line);
            if (record.path("type").asText().equals("record")) {
                assertEquals(++sequence, record.path("sequence").asLong());
            }
        }
        assertTrue(sequence >= verification.path("records").asLong() + 1);
        assertEquals("audit.export", Api.JSON.readTree(lines[lines.length - 2]).path("action").asText());
        assertEquals("the signed head ends the export", "head", Api.JSON.readTree(lines[lines.length - 1])
                .path("type").asText());
    }

    @Test
    public void theRequestingDeviceCancelsItsRequestWithASignedDelete() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        JsonNode environment = created(api.post("/api/v1/environments", owner, "{\"name\":\"Cancelled\"}"));
        DeviceKey phone = DeviceKey.generate();
        String id = join(environment.path("serverId").asText(), "erin@enigm", phone, null).path("id").asText();
        assertEquals(401, api.signedJoin("DELETE", id, DeviceKey.generate()).status());
        assertEquals(204, api.signedJoin("DELETE", id, phone).status());
        assertEquals(404, api.signedJoin("GET", id, phone).status());
        JsonNode cancelled = ok(api.get("/api/v1/environments/" + environment.path("id").asText()
                + "/join-requests?state=CANCELLED", owner)).path("items");
        assertEquals(1, cancelled.size());
        assertTrue(cancelled.get(0).path("displayName").isNull());
        assertTrue(cancelled.get(0).path("deviceFingerprint").isNull());
    }

    @Test
    public void anotherEnvironmentsAdministratorSeesNothingOfIt() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        String env = created(api.post("/api/v1/environments", owner, "{\"name\":\"Mine\"}")).path("id").asText();
        String other = created(api.post("/api/v1/environments", owner, "{\"name\":\"Theirs\"}")).path("id").asText();
        String stranger = tokens.mint(AdminRole.ADMINISTRATOR, other, Duration.ofHours(1), "it stranger").token();
        for (String path : List.of("/members", "/devices", "/sessions", "/join-requests", "/invites")) {
            JsonNode foreign = api.get("/api/v1/environments/" + env + path, stranger).problem(404);
            JsonNode missing = api.get("/api/v1/environments/never-existed" + path, stranger).problem(404);
            assertEquals(missing, foreign);
            api.get("/api/v1/environments/" + env + path, null).problem(401);
        }
    }

    @Test
    public void anInviteApprovesOnArrivalAndIsShownOnce() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        JsonNode environment = created(api.post("/api/v1/environments", owner, "{\"name\":\"Invited\"}"));
        String base = "/api/v1/environments/" + environment.path("id").asText();
        JsonNode invite = created(api.post(base + "/invites", owner, "{\"ttlSeconds\":3600}"));
        String code = invite.path("code").asText();
        assertFalse(ok(api.get(base + "/invites", owner)).toString().contains(code));
        ObjectNode body = Api.JSON.createObjectNode().put("serverId", environment.path("serverId").asText())
                .put("accountHandle", "dave@enigm").put("devicePublicKey", DeviceKey.generate().encodedPublicKey())
                .put("inviteCode", code);
        Api.Answer answer = api.post("/api/v1/join-requests", null, body.toString());
        assertEquals(answer.body(), 202, answer.status());
        assertEquals("APPROVED", answer.json().path("state").asText());
        assertEquals(1, ok(api.get(base + "/members", owner)).path("items").size());
        api.send("DELETE", base + "/invites/" + invite.path("id").asText(), owner, null, new byte[0]).problem(409);
    }

    @Test
    public void badInputIsAProblemAndChangesNothing() throws Exception {
        String owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        JsonNode environment = created(api.post("/api/v1/environments", owner, "{\"name\":\"Strict\"}"));
        String serverId = environment.path("serverId").asText();
        String base = "/api/v1/environments/" + environment.path("id").asText();
        Map<String, Long> before = counts();
        String key = DeviceKey.generate().encodedPublicKey();
        api.post("/api/v1/join-requests", null, "{\"serverId\":").problem(400);
        api.post("/api/v1/join-requests", null, "").problem(400);
        api.post("/api/v1/join-requests", null, "[]").problem(400);
        api.post("/api/v1/join-requests", null, "{\"serverId\":1,\"accountHandle\":\"a\",\"devicePublicKey\":\"" + key
                + "\"}").problem(400);
        JsonNode unknownField = api.post("/api/v1/join-requests", null, "{\"serverId\":\"" + serverId
                + "\",\"accountHandle\":\"a\",\"devicePublicKey\":\"" + key + "\",\"role\":\"OWNER\"}").problem(400);
        assertTrue(unknownField.path("detail").asText().contains("role"));
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        String p256 = Base64.getEncoder().encodeToString(ec.generateKeyPair().getPublic().getEncoded());
        for (String bad : List.of(p256, "bm90IGEga2V5", "not base64!")) {
            JsonNode refused = api.post("/api/v1/join-requests", null, "{\"serverId\":\"" + serverId
                    + "\",\"accountHandle\":\"a\",\"devicePublicKey\":\"" + bad + "\"}").problem(422);
            assertEquals("devicePublicKey", refused.path("field").asText());
        }
        assertEquals("accountHandle", api.post("/api/v1/join-requests", null, "{\"serverId\":\"" + serverId
                + "\",\"accountHandle\":\"" + "x".repeat(300) + "\",\"devicePublicKey\":\"" + key + "\"}")
                .problem(422).path("field").asText());
        api.send("POST", "/api/v1/join-requests", null, "text/plain", "{}".getBytes(StandardCharsets.UTF_8)).problem(415);
        api.post(base + "/join-requests/no-such-request/approve", owner,
                "{\"deviceFingerprint\":\"0000-0000-0000-0000\"}").problem(404);
        api.send("PATCH", base + "/members/no-such-member", owner, "application/json",
                "{\"state\":\"ACTIVE\"}".getBytes(StandardCharsets.UTF_8)).problem(404);
        api.send("PATCH", base + "/members/no-such-member", owner, "application/json",
                "{\"state\":\"GONE\"}".getBytes(StandardCharsets.UTF_8)).problem(422);
        api.post(base + "/devices/no-such-device/trust", owner, "{\"state\":\"TRUSTED\"}").problem(404);
        api.post(base + "/devices/no-such-device/trust", owner, "{\"state\":1}").problem(400);
        api.post(base + "/devices/no-such-device/replace", owner, "{\"newDeviceId\":\"x\",\"extra\":1}").problem(400);
        api.post(base + "/sessions/challenge", null, "{\"deviceId\":\"no-such-device\"}").problem(404);
        api.post(base + "/devices", null, "{\"devicePublicKey\":\"" + key + "\",\"signingDeviceId\":\"d\","
                + "\"nonce\":\"n\",\"signature\":\"AAAA\"}").problem(401);
        api.get(base + "/members?state=NOPE", owner).problem(422);
        api.get(base + "/members?cursor=not-a-cursor", owner).problem(422);
        api.get("/api/v1/join-requests/no-such-request", null).problem(401);
        api.send("DELETE", base + "/sessions/no-such-session", owner, null, new byte[0]).problem(404);
        Map<String, Long> after = counts();
        after.remove("audit_record");
        before.remove("audit_record");
        assertEquals(before, after);
    }

    private JsonNode join(String serverId, String account, DeviceKey key, String displayName) {
        JsonNode receipt = api.submitJoin(serverId, account, key.publicKey(), displayName);
        assertTrue(receipt.path("verificationCode").asText().matches("[0-9]{5}-[0-9]{5}"));
        return receipt;
    }

    /** The approval body of an administrator who compared the receipt's fingerprint. */
    private static String approval(JsonNode receipt) {
        return Api.JSON.createObjectNode().put("deviceFingerprint", receipt.path("deviceFingerprint").asText())
                .toString();
    }

    private void openSession(String env, String member, String device) {
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO session (id, environment_id, member_id,"
                + " device_id, token_hash, created_at, expires_at) VALUES (:id, :env, :member, :device, :hash, :now,"
                + " :expires)")
                .bind("id", UUID.randomUUID().toString()).bind("env", env).bind("member", member).bind("device", device)
                .bind("hash", UUID.randomUUID().toString()).bind("now", System.currentTimeMillis())
                .bind("expires", System.currentTimeMillis() + 600_000).execute());
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new java.util.HashMap<>();
        for (String table : List.of("environment", "member", "device", "join_request", "invite", "session",
                "audit_record")) {
            counts.put(table, Rows.count(database, table));
        }
        return counts;
    }

    /** The audit records of {@code action}, oldest first. */
    private List<AuditRecord> audited(String action) {
        return audit.list(null, PageRequest.first(500)).items().stream()
                .filter(record -> record.entry().action().equals(action)).toList();
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode ok(Api.Answer answer) {
        assertEquals(answer.body(), 200, answer.status());
        return answer.json();
    }

    private static JsonNode created(Api.Answer answer) {
        assertEquals(answer.body(), 201, answer.status());
        assertNotEquals("", answer.raw().headers().firstValue("Location").orElse(""));
        return answer.json();
    }
}
