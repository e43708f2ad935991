package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * Closing an account over HTTP in a real Felix: a membership administrator with the PIN removes the
 * member and every bundle erases its part — the member's handle and name, its devices' keys, the
 * providers' records of its devices, the content it sent and its bytes — while the audit chain still
 * verifies; without the PIN, with another role, or under a legal hold nothing changes.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AccountClosureIT extends ApiFrameworkTest {

    private static final String PIN = "731902";
    /** Above the inline limit, so the bytes live in a file of the blob store. */
    private static final int FILE_SIZE = 100 * 1024;

    @Inject
    private AdminTokens tokens;
    @Inject
    private Database database;
    @Inject
    private DataHome home;

    private String owner;
    private String env;
    private String base;
    private Api.Enrolled alice;
    private Api.Enrolled bob;
    private String alicesSession;
    private String bobsSession;

    @Before
    public void environment() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "closure owner").token();
        assertEquals(204, api.send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"" + PIN + "\",\"currentPin\":\"" + PIN + "\"}").getBytes()).status());
        env = api.post("/api/v1/environments", owner, "{\"name\":\"Closures\"}").json().path("id").asText();
        base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        DeviceKey alicesKey = DeviceKey.generate();
        DeviceKey bobsKey = DeviceKey.generate();
        alice = api.enrolMember(base, owner, "alice-" + System.nanoTime() + "@enigm", alicesKey.publicKey());
        bob = api.enrolMember(base, owner, "bob-" + System.nanoTime() + "@enigm", bobsKey.publicKey());
        alicesSession = api.openSession(env, alice.deviceId(), alicesKey).path("sessionToken").asText();
        bobsSession = api.openSession(env, bob.deviceId(), bobsKey).path("sessionToken").asText();
    }

    private String upload(String session, String surface, int size, String recipient) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Api.Answer answer = api.postBytes(base + "/content", session, Map.of("X-Enigm-Surface", surface,
                "X-Enigm-Recipients", recipient), bytes);
        assertEquals(answer.body(), 201, answer.status());
        return answer.json().path("id").asText();
    }

    private Api.Answer close(String memberId, String token, String pin) {
        return api.send("POST", base + "/members/" + memberId + "/closure", token,
                pin == null ? Map.of() : Map.of("X-Enigm-Confirm", pin), null);
    }

    private boolean blobExists(String objectId) throws Exception {
        Path objects = home.directory().resolve("content").resolve("objects");
        try (Stream<Path> files = Files.walk(objects)) {
            return files.anyMatch(file -> file.getFileName().toString().equals(objectId));
        }
    }

    private long rows(String table, String condition, String id) {
        return Rows.count(database, table, condition, Map.of("id", id));
    }

    @Test
    public void closingErasesThePersonsRecordsAndSentContentAndTheAuditStillVerifies() throws Exception {
        String alicesFile = upload(alicesSession, "ATTACHMENTS", FILE_SIZE, bob.memberId());
        String bobsMessage = upload(bobsSession, "MESSAGES", 10, alice.memberId());
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO attestation_record (environment_id,"
                + " device_id, provider_type, provider_bundle, record_key, value_json, updated_at) VALUES (:env,"
                + " :device, 'esim', 'io.enigm.server.provider.esim', 'binding', '{}', 0)").bind("env", env)
                .bind("device", alice.deviceId()).execute());
        assertTrue(blobExists(alicesFile));
        String membershipAdmin = tokens.mint(AdminRole.MEMBERSHIP_ADMIN, env, Duration.ofHours(1), "it").token();

        JsonNode closed = close(alice.memberId(), membershipAdmin, PIN).json();

        assertEquals("REMOVED", closed.path("state").asText());
        assertEquals("erased", closed.path("accountHandle").asText());
        JsonNode device = api.get(base + "/devices/" + alice.deviceId(), owner).json();
        assertEquals("REVOKED", device.path("trust").asText());
        assertEquals("erased", device.path("fingerprint").asText());
        assertEquals(0, rows("attestation_record", "device_id = :id", alice.deviceId()));
        assertEquals(0, rows("content_object", "id = :id", alicesFile));
        assertFalse("the bytes go once the closure is durable", blobExists(alicesFile));
        assertEquals(0, rows("content_recipient", "member_id = :id", alice.memberId()));
        assertEquals("what Bob sent stays his", 1, rows("content_object", "id = :id", bobsMessage));
        api.get(base + "/content/" + alicesFile, bobsSession).problem(404);
        api.get(base + "/content", alicesSession).problem(401);

        String audit = api.get(base + "/audit?limit=200", owner).body();
        assertTrue(audit, audit.contains("member.close"));
        JsonNode verification = api.get("/api/v1/audit/verify", owner).json();
        assertTrue(verification.toString(), verification.path("intact").asBoolean());
    }

    @Test
    public void withoutThePinWithAnotherRoleOrUnderALegalHoldNothingChanges() {
        String alicesFile = upload(alicesSession, "ATTACHMENTS", FILE_SIZE, bob.memberId());
        close(alice.memberId(), owner, null).problem(403);
        close(alice.memberId(), owner, "000000").problem(403);
        for (AdminRole role : new AdminRole[] {AdminRole.DEVICE_ADMIN, AdminRole.CONTENT_ADMIN,
            AdminRole.POLICY_ADMIN, AdminRole.SECURITY_REVIEWER}) {
            close(alice.memberId(), tokens.mint(role, env, Duration.ofHours(1), "it " + role).token(), PIN)
                    .problem(403);
        }
        close("nobody", owner, PIN).problem(404);
        assertEquals(200, api.send("PUT", base + "/members/" + alice.memberId() + "/legal-hold", owner,
                Map.of("X-Enigm-Confirm", PIN), "{\"reason\":\"dispute\"}").status());
        JsonNode held = close(alice.memberId(), owner, PIN).problem(409);
        assertTrue(held.toString(), held.path("detail").asText().contains("legal hold"));

        JsonNode member = api.get(base + "/members/" + alice.memberId(), owner).json();
        assertEquals("ACTIVE", member.path("state").asText());
        assertFalse("erased".equals(member.path("accountHandle").asText()));
        assertEquals(1, rows("content_object", "id = :id", alicesFile));
        assertEquals(200, api.get(base + "/content/" + alicesFile, bobsSession).status());
    }
}
