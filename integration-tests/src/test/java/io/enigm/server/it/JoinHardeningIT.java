package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;

/**
 * Joining as an attacker would try it, over HTTP in the assembled server: an invite holder who
 * claims a member's account handle, a re-submission that would take over a pending request, an
 * approval of a key the administrator did not compare, probes of which ids exist, and a flood of
 * challenges for someone else's device.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class JoinHardeningIT extends ApiFrameworkTest {

    private static final String UNKNOWN_SERVER_ID = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH";

    @Inject
    private AdminTokens tokens;

    private String owner;
    private String env;
    private String base;
    private String serverId;

    /** An environment that trusts new devices on enrollment: the setting under which the attack let a device in. */
    @Before
    public void environment() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        JsonNode environment = api.post("/api/v1/environments", owner, "{\"name\":\"Hardened\"}").json();
        env = environment.path("id").asText();
        serverId = environment.path("serverId").asText();
        base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    public void anInviteAndAMembersAccountHandleDoNotMakeAnAttackerThatMember() throws Exception {
        DeviceKey alicePhone = DeviceKey.generate();
        JsonNode alice = join("alice@enigm", alicePhone, "Alice", invite());
        assertEquals("APPROVED", alice.path("state").asText());
        JsonNode aliceStatus = api.signedJoin("GET", alice.path("id").asText(), alicePhone).json();
        String aliceMember = aliceStatus.path("memberId").asText();
        String aliceDevice = aliceStatus.path("deviceId").asText();
        assertEquals("ALLOW", api.trySession(env, aliceDevice, alicePhone).json().path("decision").asText());

        // The attacker holds an invite and knows alice's account handle.
        DeviceKey attackerKey = DeviceKey.generate();
        JsonNode attack = join("alice@enigm", attackerKey, "Alice", invite());
        assertEquals("PENDING", attack.path("state").asText());
        JsonNode attackStatus = api.signedJoin("GET", attack.path("id").asText(), attackerKey).json();
        assertEquals("PENDING", attackStatus.path("state").asText());
        assertTrue(attackStatus.path("memberId").isNull() && attackStatus.path("deviceId").isNull());
        assertEquals(List.of(aliceDevice), devicesOf(aliceMember));

        // The administrator sees that it would add a device to alice's membership.
        JsonNode listed = pending().get(0);
        assertEquals(attack.path("id").asText(), listed.path("id").asText());
        assertEquals(aliceMember, listed.path("existingMemberId").asText());

        // Even approved, the device waits for a device administrator: no session as alice.
        JsonNode approved = api.post(base + "/join-requests/" + attack.path("id").asText() + "/approve", owner,
                approval(attack.path("deviceFingerprint").asText())).json();
        assertEquals(aliceMember, approved.path("memberId").asText());
        String attackerDevice = approved.path("deviceId").asText();
        assertEquals("PENDING", api.get(base + "/devices/" + attackerDevice, owner).json().path("trust").asText());
        Api.Answer refused = api.trySession(env, attackerDevice, attackerKey);
        assertNotEquals(201, refused.status());
        assertEquals("DEVICE_TRUST", refused.problem(403).path("categories").get(0).asText());
    }

    @Test
    public void aPendingRequestKeepsItsKeyAndIsApprovedOnlyWithTheFingerprintCompared() throws Exception {
        DeviceKey alicePhone = DeviceKey.generate();
        JsonNode alice = join("carol@enigm", alicePhone, "Carol", null);
        JsonNode mallory = join("carol@enigm", DeviceKey.generate(), "Carol (new phone)", null);
        assertNotEquals(alice.path("id").asText(), mallory.path("id").asText());
        assertNotEquals(alice.path("deviceFingerprint").asText(), mallory.path("deviceFingerprint").asText());
        List<JsonNode> pending = pending();
        assertEquals(2, pending.size());
        assertEquals("Carol", pending.get(0).path("displayName").asText());
        assertEquals(alice.path("verificationCode").asText(), pending.get(0).path("verificationCode").asText());
        // The second request cannot be followed as the first.
        assertEquals(401, api.signedJoin("GET", alice.path("id").asText(), DeviceKey.generate()).status());

        String approve = base + "/join-requests/" + alice.path("id").asText() + "/approve";
        api.post(approve, owner, "").problem(400);
        assertEquals("deviceFingerprint", api.post(approve, owner, "{}").problem(422).path("field").asText());
        api.post(approve, owner, approval(mallory.path("deviceFingerprint").asText())).problem(409);
        assertEquals("PENDING", api.signedJoin("GET", alice.path("id").asText(), alicePhone).json().path("state")
                .asText());
        assertEquals("APPROVED", api.post(approve, owner, approval(alice.path("deviceFingerprint").asText())).json()
                .path("state").asText());
    }

    @Test
    public void publicAnswersDoNotTellWhichIdsExist() throws Exception {
        // A known and an unknown server ID: the same status and the same fields in the same formats.
        JsonNode known = join("dave@enigm", DeviceKey.generate(), null, null);
        Api.Answer unknownAnswer = api.post("/api/v1/join-requests", null, submission(UNKNOWN_SERVER_ID, "dave@enigm",
                DeviceKey.generate(), null, null));
        assertEquals(202, unknownAnswer.status());
        assertEquals(shape(known), shape(unknownAnswer.json()));

        // The challenge: an unknown environment, an unknown device, another environment's device.
        DeviceKey phone = DeviceKey.generate();
        String device = api.enrol(base, owner, "erin@enigm", phone.publicKey());
        String otherEnvironment = api.post("/api/v1/environments", owner, "{\"name\":\"Other\"}").json()
                .path("id").asText();
        Set<String> answers = new HashSet<>();
        for (String[] ids : new String[][] {{"no-such-environment", device}, {env, "no-such-device"},
                {otherEnvironment, device}}) {
            JsonNode problem = api.post("/api/v1/environments/" + ids[0] + "/sessions/challenge", null,
                    "{\"deviceId\":\"" + ids[1] + "\"}").problem(404);
            answers.add(problem.path("type").asText() + " " + problem.path("title").asText() + " "
                    + problem.path("detail").asText());
        }
        assertEquals(answers.toString(), 1, answers.size());
    }

    @Test
    public void aFloodOfChallengesForAnotherDeviceDoesNotStopItFromOpeningASession() throws Exception {
        DeviceKey phone = DeviceKey.generate();
        String device = api.enrol(base, owner, "frank@enigm", phone.publicKey());
        for (int i = 0; i < 50; i++) {
            assertEquals(200, api.post(base + "/sessions/challenge", null, "{\"deviceId\":\"" + device + "\"}")
                    .status());
        }
        Api.Answer opened = api.trySession(env, device, phone);
        assertEquals(opened.body(), 201, opened.status());
        assertEquals("ALLOW", opened.json().path("decision").asText());
    }

    private String invite() {
        return api.post(base + "/invites", owner, "{}").json().path("code").asText();
    }

    private List<JsonNode> pending() {
        List<JsonNode> items = new ArrayList<>();
        api.get(base + "/join-requests?state=PENDING", owner).json().path("items").forEach(items::add);
        return items;
    }

    private List<String> devicesOf(String member) {
        List<String> ids = new ArrayList<>();
        api.get(base + "/devices?member=" + member, owner).json().path("items")
                .forEach(item -> ids.add(item.path("id").asText()));
        return ids;
    }

    private JsonNode join(String account, DeviceKey key, String displayName, String inviteCode) {
        Api.Answer answer = api.post("/api/v1/join-requests", null,
                submission(serverId, account, key, displayName, inviteCode));
        assertEquals(answer.body(), 202, answer.status());
        return answer.json();
    }

    private static String submission(String serverId, String account, DeviceKey key, String displayName,
            String inviteCode) {
        ObjectNode body = Api.JSON.createObjectNode().put("serverId", serverId).put("accountHandle", account)
                .put("devicePublicKey", key.encodedPublicKey());
        if (displayName != null) {
            body.put("displayName", displayName);
        }
        if (inviteCode != null) {
            body.put("inviteCode", inviteCode);
        }
        return body.toString();
    }

    private static String approval(String fingerprint) {
        return Api.JSON.createObjectNode().put("deviceFingerprint", fingerprint).toString();
    }

    /** Field names with the shape of each value: the id's length, the state, digits and hex as x. */
    private static List<String> shape(JsonNode receipt) {
        List<String> shape = new ArrayList<>();
        for (Iterator<String> names = receipt.fieldNames(); names.hasNext();) {
            String name = names.next();
            String value = receipt.path(name).asText();
            shape.add(name + "=" + (name.equals("id") ? value.length()
                    : name.equals("state") ? value : value.replaceAll("[0-9a-f]", "x")));
        }
        return shape;
    }
}
