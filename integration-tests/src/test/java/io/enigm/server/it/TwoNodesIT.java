package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Two nodes of one installation on one PostgreSQL database, as behind a round-robin load balancer:
 * each request below names the node it lands on. Whatever one node did, the other knows at once:
 * sessions, nonces, wrong PINs, invites and the audit chain hold across both; killing one node
 * under load loses no acknowledged write while the other keeps serving. The tests run in name
 * order: the last two lock the PIN and kill a node.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class TwoNodesIT {

    private static final String PIN = "864200";

    private static ServerProcess a;
    private static ServerProcess b;
    private static String owner;

    @BeforeClass
    public static void startTwoNodes() throws Exception {
        Path homeA = Files.createTempDirectory("enigm-node-a-");
        Path homeB = Files.createTempDirectory("enigm-node-b-");
        String url = PostgresNodes.newDatabase(homeA);
        a = new ServerProcess(homeA, "");
        a.start(PostgresNodes.options(url));
        // The second node of the installation: the first node's secrets, copied as an operator does.
        PostgresNodes.shareSecrets(homeA, homeB);
        b = new ServerProcess(homeB, "");
        b.start(PostgresNodes.options(url));
        owner = a.secret("owner-token");
        assertEquals(204, a.api().send("PUT", "/api/v1/pin", owner, "application/json",
                ("{\"pin\":\"" + PIN + "\"}").getBytes(StandardCharsets.UTF_8)).status());
    }

    @AfterClass
    public static void stopNodes() throws InterruptedException {
        for (ServerProcess node : new ServerProcess[] {a, b}) {
            if (node != null) {
                node.stop();
            }
        }
    }

    /** An environment whose new devices are trusted, created on node {@code on}. */
    private static String environment(ServerProcess on, String name) {
        String env = on.api().post("/api/v1/environments", owner, "{\"name\":\"" + name + "\"}").json()
                .path("id").asText();
        assertEquals(200, on.api().send("PATCH", "/api/v1/environments/" + env, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
        return env;
    }

    @Test
    public void aSessionOpenedOnOneNodeAndClosedOnTheOtherIsRefusedOnTheFirst() {
        String env = environment(a, "Sessions");
        DeviceKey phone = DeviceKey.generate();
        Api.Enrolled alice = b.api().enrolMember("/api/v1/environments/" + env, owner, "alice@nodes", phone.publicKey());
        JsonNode grant = a.api().openSession(env, alice.deviceId(), phone);
        String token = grant.path("sessionToken").asText();
        String content = "/api/v1/environments/" + env + "/content";
        assertEquals(200, a.api().get(content, token).status());
        assertEquals(200, b.api().get(content, token).status());

        assertEquals(204, b.api().send("DELETE", "/api/v1/environments/" + env + "/sessions/"
                + grant.path("sessionId").asText(), owner, "application/json", new byte[0]).status());
        a.api().get(content, token).problem(401);
        b.api().get(content, token).problem(401);
    }

    @Test
    public void aNonceIssuedByOneNodeIsAcceptedByTheOtherOnceAndThenRefusedByBoth() {
        String env = environment(b, "Nonces");
        DeviceKey phone = DeviceKey.generate();
        Api.Enrolled bob = a.api().enrolMember("/api/v1/environments/" + env, owner, "bob@nodes", phone.publicKey());
        String nonce = a.api().challenge(env, bob.deviceId());
        String proof = phone.sessionProof(env, bob.deviceId(), nonce);
        String sessions = "/api/v1/environments/" + env + "/sessions";
        assertEquals(201, b.api().post(sessions, null, proof).status());
        b.api().post(sessions, null, proof).problem(401);
        a.api().post(sessions, null, proof).problem(401);
    }

    @Test
    public void anInviteIsUsedOnceAcrossBothNodes() {
        String env = environment(a, "Invites");
        String base = "/api/v1/environments/" + env;
        String serverId = a.api().get(base, owner).json().path("serverId").asText();
        String code = a.api().post(base + "/invites", owner, "{}").json().path("code").asText();
        Api.Answer admitted = b.api().post("/api/v1/join-requests", null, joining(serverId, "carol@nodes", code));
        assertEquals(admitted.body(), "APPROVED", admitted.json().path("state").asText());
        // the spent invite admits no one else: the second request waits for an administrator, as one without it
        Api.Answer again = a.api().post("/api/v1/join-requests", null, joining(serverId, "dave@nodes", code));
        assertEquals(again.body(), "PENDING", again.json().path("state").asText());
        assertEquals("one member, admitted by the invite", 1,
                a.api().get(base + "/members", owner).json().path("items").size());
    }

    private static String joining(String serverId, String account, String inviteCode) {
        return Api.JSON.createObjectNode().put("serverId", serverId).put("accountHandle", account)
                .put("devicePublicKey", DeviceKey.generate().encodedPublicKey()).put("inviteCode", inviteCode)
                .toString();
    }

    /** Runs last among the PIN's users: it locks critical operations of the whole installation for a while. */
    @Test
    public void zFiveWrongPinsSpreadOverBothNodesLockBoth() {
        String env = environment(a, "Pins");
        for (int wrong = 0; wrong < 5; wrong++) {
            ServerProcess node = wrong % 2 == 0 ? a : b;
            EnvironmentLifecycleIT.LifecycleCalls.lifecycle(node.port(), env, owner, "close", "000000").problem(403);
        }
        for (ServerProcess node : new ServerProcess[] {a, b}) {
            EnvironmentLifecycleIT.LifecycleCalls.lifecycle(node.port(), env, owner, "close", PIN).problem(429);
        }
    }

    @Test
    public void theAuditChainBothNodesWriteAtOnceVerifiesWithOneRecordPerRequest() throws Exception {
        long before = a.api().get("/api/v1/audit/verify", owner).json().path("records").asLong();
        int requests = 200;
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                ServerProcess node = i % 2 == 0 ? a : b;
                answers.add(clients.submit(() -> node.api().get("/api/v1/environments?limit=1", owner).status()));
            }
            for (Future<Integer> answer : answers) {
                assertEquals(200, (int) answer.get(60, TimeUnit.SECONDS));
            }
        } finally {
            clients.shutdownNow();
        }
        for (ServerProcess node : new ServerProcess[] {a, b}) {
            JsonNode verified = node.api().get("/api/v1/audit/verify", owner).json();
            assertTrue(verified.toString(), verified.path("intact").asBoolean());
            // each read is audited, and so is each verification before this one
            assertTrue(verified.toString(), verified.path("records").asLong() >= before + requests);
        }
        JsonNode last = b.api().get("/api/v1/audit/verify", owner).json();
        assertEquals("every request one record, and the three verifications", before + requests + 3,
                last.path("records").asLong());
    }

    @Test
    public void zzKillingOneNodeUnderLoadLosesNoAcknowledgedWriteAndTheOtherKeepsServing() throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        List<Future<?>> loops = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            ServerProcess node = w % 2 == 0 ? a : b;
            int writer = w;
            loops.add(writers.submit(() -> {
                // bounded: stops by itself after 400 attempts
                for (int i = 0; i < 400 && running.get(); i++) {
                    try {
                        Api.Answer created = node.api().post("/api/v1/environments", owner,
                                "{\"name\":\"load-" + writer + "-" + i + "\"}");
                        if (created.status() == 201) {
                            acknowledged.add(created.json().path("id").asText());
                        }
                    } catch (RuntimeException | AssertionError e) {
                        // the killed node's connections fail: nothing was acknowledged
                    }
                }
            }));
        }
        Thread.sleep(1500);
        a.kill();
        Thread.sleep(1500);
        running.set(false);
        for (Future<?> loop : loops) {
            loop.get(120, TimeUnit.SECONDS);
        }
        writers.shutdownNow();
        assertTrue("writes were acknowledged before and after the kill", acknowledged.size() > 10);
        Api.Answer created = b.api().post("/api/v1/environments", owner, "{\"name\":\"after the kill\"}");
        assertEquals(created.body(), 201, created.status());
        Set<String> stored = new java.util.HashSet<>();
        String cursor = null;
        do {
            JsonNode page = b.api().get("/api/v1/environments?limit=500" + (cursor == null ? "" : "&cursor=" + cursor),
                    owner).json();
            page.path("items").forEach(item -> stored.add(item.path("id").asText()));
            cursor = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (cursor != null);
        Set<String> lost = new java.util.HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertEquals("acknowledged but lost", Set.of(), lost);
        assertTrue(b.api().get("/api/v1/audit/verify", owner).json().path("intact").asBoolean());
    }
}
