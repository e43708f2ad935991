package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

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
import io.enigm.server.store.Database;

/**
 * Deletion jobs over HTTP in a real Felix: a content administrator deletes one member's content or,
 * with the PIN, all of it; it vanishes from the members' answers at once, the job completes, and its
 * receipt is found in the audit chain with the same hash. Legal holds refuse; a retry with the same
 * idempotency key gets the same job.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ContentDeletionIT extends ApiFrameworkTest {

    private static final String PIN = "519273";
    /** Above the default inline limit: its bytes are a file of the blob store. */
    private static final int LARGE = 70 * 1024;

    @Inject
    private AdminTokens tokens;
    @Inject
    private Database database;

    private String owner;
    private String contentAdmin;
    private String env;
    private String base;
    private Member alice;
    private Member bob;

    private record Member(String memberId, String token) {
    }

    @Before
    public void environment() {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "deletion owner").token();
        Api.Answer set = api.send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"" + PIN + "\",\"currentPin\":\"" + PIN + "\"}").getBytes());
        assertEquals(set.body(), 204, set.status());
        env = api.post("/api/v1/environments", owner, "{\"name\":\"Deletions\"}").json().path("id").asText();
        base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, Map.of(), "{\"newDeviceTrust\":\"TRUSTED\"}").status());
        contentAdmin = tokens.mint(AdminRole.CONTENT_ADMIN, env, Duration.ofHours(1), "deletion admin").token();
        alice = member("alice");
        bob = member("bob");
    }

    private Member member(String name) {
        DeviceKey key = DeviceKey.generate();
        Api.Enrolled enrolled = api.enrolMember(base, owner, name + "-" + System.nanoTime() + "@enigm",
                key.publicKey());
        return new Member(enrolled.memberId(), api.openSession(env, enrolled.deviceId(), key).path("sessionToken")
                .asText());
    }

    private String uploaded(Member sender, int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Api.Answer answer = api.postBytes(base + "/content", sender.token(), Map.of("X-Enigm-Surface", "MEDIA"),
                bytes);
        assertEquals(answer.body(), 201, answer.status());
        return answer.json().path("id").asText();
    }

    private List<String> feed(Member member) {
        List<String> ids = new ArrayList<>();
        api.get(base + "/content", member.token()).json().path("items").forEach(item -> ids.add(item.path("id")
                .asText()));
        return ids;
    }

    private Api.Answer start(String token, Map<String, String> headers, String json) {
        return api.send("POST", base + "/content/deletions", token, headers, json);
    }

    private static String memberScope(Member member) {
        return "{\"scope\":\"MEMBER\",\"memberId\":\"" + member.memberId() + "\"}";
    }

    /** The job once completed; the runner takes it up as soon as it is started. */
    private JsonNode completed(String jobId) throws InterruptedException {
        String path = base + "/content/deletions/" + jobId;
        awaitTrue("the deletion job completes",
                () -> "COMPLETED".equals(api.get(path, contentAdmin).json().path("state").asText()));
        return api.get(path, contentAdmin).json();
    }

    /** The receipt's audit record, found by its sequence in the environment's audit log. */
    private JsonNode sealOf(JsonNode receipt) {
        String cursor = null;
        do {
            JsonNode page = api.get(base + "/audit?limit=500" + (cursor == null ? "" : "&cursor=" + cursor), owner)
                    .json();
            for (JsonNode record : page.path("items")) {
                if (record.path("sequence").asLong() == receipt.path("auditSequence").asLong()) {
                    return record;
                }
            }
            cursor = page.path("next").isNull() ? null : page.path("next").asText(null);
        } while (cursor != null);
        throw new AssertionError("no audit record " + receipt.path("auditSequence"));
    }

    private void assertSealed(JsonNode job) {
        JsonNode receipt = job.path("receipt");
        JsonNode seal = sealOf(receipt);
        assertEquals(receipt.path("auditHash").asText(), seal.path("hash").asText());
        assertEquals("content.deletion.complete", seal.path("action").asText());
        assertEquals(job.path("id").asText(), seal.path("target").asText());
        assertEquals("system", seal.path("actor").asText());
        assertTrue(api.get("/api/v1/audit/verify", owner).json().path("intact").asBoolean());
    }

    @Test
    public void aMembersContentVanishesAtOnceAndItsJobEndsWithAReceiptTheAuditChainHolds() throws Exception {
        String large = uploaded(alice, LARGE);
        String small = uploaded(alice, 100);
        String bobs = uploaded(bob, 200);

        Api.Answer started = start(contentAdmin, Map.of(), memberScope(alice));

        assertEquals(started.body(), 201, started.status());
        JsonNode job = started.json();
        String jobId = job.path("id").asText();
        assertTrue(started.raw().headers().firstValue("Location").orElseThrow()
                .endsWith("/environments/" + env + "/content/deletions/" + jobId));
        assertEquals("MEMBER", job.path("scope").asText());
        assertEquals(alice.memberId(), job.path("memberId").asText());
        assertEquals(2, job.path("objects").asLong());
        assertEquals(LARGE + 100, job.path("bytes").asLong());
        assertEquals(List.of(bobs), feed(bob));
        assertEquals(List.of(bobs), feed(alice));
        api.get(base + "/content/" + large, bob.token()).problem(404);
        api.get(base + "/content/" + small, alice.token()).problem(404);

        JsonNode done = completed(jobId);
        JsonNode receipt = done.path("receipt");
        assertEquals(2, done.path("erased").asLong());
        assertEquals(jobId, receipt.path("jobId").asText());
        assertEquals(2, receipt.path("objects").asLong());
        assertEquals(LARGE + 100, receipt.path("bytes").asLong());
        assertEquals(job.path("requestedAt").asText(), receipt.path("requestedAt").asText());
        assertSealed(done);
        assertEquals(0, Rows.count(database, "content_object", "sender_member = :member",
                Map.of("member", alice.memberId())));
        String audit = api.get(base + "/audit?limit=500", owner).body();
        assertTrue(audit, audit.contains("\"action\":\"content.deletion.start\"") && audit.contains(jobId));
    }

    @Test
    public void allOfTheEnvironmentsContentNeedsThePinAndThenVanishesForEveryone() throws Exception {
        uploaded(alice, LARGE);
        uploaded(bob, 10);
        String all = "{\"scope\":\"ALL\"}";

        start(contentAdmin, Map.of(), all).problem(403);
        start(contentAdmin, Map.of("X-Enigm-Confirm", "000000"), all).problem(403);
        assertEquals(2, feed(bob).size());
        start(contentAdmin, Map.of("X-Enigm-Confirm", PIN), "{\"scope\":\"ALL\",\"memberId\":\"x\"}").problem(422);

        Api.Answer started = start(contentAdmin, Map.of("X-Enigm-Confirm", PIN), all);
        assertEquals(started.body(), 201, started.status());
        assertEquals(2, started.json().path("objects").asLong());
        assertEquals(List.of(), feed(alice));
        assertEquals(List.of(), feed(bob));
        assertEquals(0, api.get(base + "/content/stats", contentAdmin).json().path("total").path("objects").asLong());
        String later = uploaded(bob, 30);
        assertEquals("stored after the start: not covered", List.of(later), feed(alice));

        JsonNode done = completed(started.json().path("id").asText());
        assertEquals("ALL", done.path("receipt").path("scope").asText());
        assertTrue(done.path("receipt").path("memberId").isNull());
        assertSealed(done);
        assertEquals(List.of(later), feed(alice));
    }

    @Test
    public void legalHoldsOnTheEnvironmentOrAMemberRefuseWhatTheyCover() {
        uploaded(alice, 10);
        uploaded(bob, 10);
        long jobs = Rows.count(database, "content_deletion");
        String held = "{\"reason\":\"Matter 7\"}";
        Map<String, String> confirmed = Map.of("X-Enigm-Confirm", PIN);
        assertEquals(200, api.send("PUT", base + "/legal-hold", owner, confirmed, held).status());
        JsonNode refused = start(contentAdmin, Map.of(), memberScope(bob)).problem(409);
        assertTrue(refused.toString(), refused.path("detail").asText().contains("legal hold on the environment"));
        start(contentAdmin, confirmed, "{\"scope\":\"ALL\"}").problem(409);
        assertEquals(204, api.send("DELETE", base + "/legal-hold", owner, confirmed, null).status());

        String memberHold = base + "/members/" + alice.memberId() + "/legal-hold";
        assertEquals(200, api.send("PUT", memberHold, owner, confirmed, held).status());
        JsonNode memberRefused = start(contentAdmin, Map.of(), memberScope(alice)).problem(409);
        assertTrue(memberRefused.toString(), memberRefused.path("detail").asText().contains(alice.memberId()));
        start(contentAdmin, confirmed, "{\"scope\":\"ALL\"}").problem(409);
        assertEquals(jobs, Rows.count(database, "content_deletion"));
        assertEquals(2, feed(alice).size());

        assertEquals(201, start(contentAdmin, Map.of(), memberScope(bob)).status());
        assertEquals(1, feed(alice).size());
    }

    @Test
    public void onlyContentAdministratorsStartJobsAndARetryWithTheSameKeyGetsTheSameJob() {
        uploaded(alice, 10);
        String membershipAdmin = tokens.mint(AdminRole.MEMBERSHIP_ADMIN, env, Duration.ofHours(1), "not content")
                .token();
        start(membershipAdmin, Map.of(), memberScope(alice)).problem(403);
        assertEquals(1, feed(alice).size());

        long jobs = Rows.count(database, "content_deletion");
        Map<String, String> keyed = Map.of("Idempotency-Key", "delete-alice-1");
        Api.Answer first = start(contentAdmin, keyed, memberScope(alice));
        Api.Answer retry = start(contentAdmin, keyed, memberScope(alice));
        assertEquals(first.body(), 201, first.status());
        assertEquals(201, retry.status());
        assertEquals(first.json().path("id").asText(), retry.json().path("id").asText());
        assertEquals(first.raw().headers().firstValue("Location"), retry.raw().headers().firstValue("Location"));
        assertEquals(jobs + 1, Rows.count(database, "content_deletion"));
        api.get(base + "/content/deletions/no-such-job", contentAdmin).problem(404);
    }
}
