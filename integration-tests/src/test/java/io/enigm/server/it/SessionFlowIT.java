package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Hashtable;
import java.util.Map;
import java.util.Set;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerSuite;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.attestation.registry.AttestationRegistry;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.ProviderMetadata;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.policy.Policies;
import io.enigm.server.store.Database;

/**
 * The app's session flow over HTTP inside a real Felix, decided by the real policy engine: a
 * device opens a session with a signed nonce, replays and forgeries are refused and counted, a
 * renewal is signed over its session and decided under the policy in force (a stricter version
 * denies it and closes the session), a step-up names its categories, a provider's possession proof
 * counts only over the nonce the server issued for the attempt, and a restriction stops the token on
 * the next request. Provider operations run off the database's writer and can end sessions.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerSuite.class)
public class SessionFlowIT extends ApiFrameworkTest {

    /** Everything the built-in policy asks, plus a verified Enigm Key: no key provider runs here. */
    private static final String NEEDS_KEY = "{\"rules\":[{\"id\":\"secret-rule-name\",\"roles\":[\"*\"],"
            + "\"actions\":[\"*\"],\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\","
            + "\"HARDWARE_KEY_VERIFIED\"],\"mode\":\"enforce\",\"onMissing\":\"%s\"}],\"default\":\"DENY\"}";
    private static final String PERMISSIVE = "{\"rules\":[{\"id\":\"trusted\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
            + "\"resources\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"],\"mode\":\"enforce\"}],"
            + "\"default\":\"DENY\"}";

    @Inject
    private AdminTokens tokens;
    @Inject
    private Policies policies;
    @Inject
    private SessionTokens sessionTokens;
    @Inject
    private Database database;
    @Inject
    private AttestationRegistry registry;

    private String owner;
    private String env;
    private String base;

    @Before
    public void environment() throws InterruptedException {
        owner = tokens.mint(AdminRole.OWNER, null, Duration.ofHours(1), "it owner").token();
        JsonNode environment = api.post("/api/v1/environments", owner, "{\"name\":\"Sessions\"}").json();
        env = environment.path("id").asText();
        base = "/api/v1/environments/" + env;
        assertEquals(200, api.send("PATCH", base, owner, "application/json",
                "{\"newDeviceTrust\":\"TRUSTED\"}".getBytes(StandardCharsets.UTF_8)).status());
    }

    @Test
    public void openReplayRenewUnderANewPolicyAndRevoke() throws Exception {
        DeviceKey phone = DeviceKey.generate();
        String device = enrol("alice@enigm", phone);

        // A signed nonce opens a session; the token is kept only as a hash.
        String nonce = challenge(device);
        String body = phone.sessionProof(env, device, nonce);
        Api.Answer opened = api.post(base + "/sessions", null, body);
        assertEquals(opened.body(), 201, opened.status());
        JsonNode grant = opened.json();
        assertEquals("ALLOW", grant.path("decision").asText());
        String token = grant.path("sessionToken").asText();
        String session = grant.path("sessionId").asText();
        assertTrue(Instant.parse(grant.path("expiresAt").asText()).isAfter(Instant.now().plus(Duration.ofMinutes(14))));
        assertTrue(grant.path("warnings").isArray());
        assertTrue(opened.raw().headers().firstValue("Location").orElseThrow().endsWith("/sessions/" + session));
        assertEquals(0L, Rows.count(database, "session", "token_hash = :token", Map.of("token", token)));
        assertEquals(device, sessionTokens.authenticate(token).orElseThrow().deviceId());

        // Replays, forgeries and nonces of another device are refused with 401 and counted.
        DeviceKey laptop = DeviceKey.generate();
        String bobDevice = enrol("bob@enigm", laptop);
        long events = events();
        api.post(base + "/sessions", null, body).problem(401);
        DeviceKey forger = DeviceKey.generate();
        api.post(base + "/sessions", null, forger.sessionProof(env, device, challenge(device))).problem(401);
        api.post(base + "/sessions", null, phone.sessionProof(env, device, challenge(bobDevice))).problem(401);
        assertEquals(events + 3, events());
        // Reviewers read them through the API: categories, risk classes and handles, nothing raw.
        List<String> seen = new ArrayList<>();
        for (JsonNode event : api.get(base + "/security-events?limit=200", owner).json().path("items")) {
            seen.add(event.path("category").asText() + "/" + event.path("risk").asText());
            assertFalse(event.toString().contains(phone.encodedPublicKey()));
        }
        assertEquals(events + 3, seen.size());
        assertEquals(List.of("SESSION_NONCE_MISMATCH/HIGH", "SESSION_NONCE_UNKNOWN/MEDIUM",
                "SESSION_SIGNATURE_FORGED/HIGH"), seen.subList(seen.size() - 3, seen.size()).stream().sorted().toList());
        api.post(base + "/sessions", null, "{\"deviceId\":\"" + device + "\"}").problem(422);

        // Renewal: the session token plus a fresh nonce signed over the session gives a new token; the old
        // one stops. The signature that opens a session renews nothing.
        renew(session, token, phone.sessionProof(env, device, challenge(device))).problem(401);
        Api.Answer renewed = renew(session, token, phone.renewalProof(env, device, session, challenge(device)));
        assertEquals(renewed.body(), 200, renewed.status());
        String token2 = renewed.json().path("sessionToken").asText();
        assertNotEquals(token, token2);
        renew(session, token, phone.renewalProof(env, device, session, challenge(device))).problem(401);
        api.post(base + "/sessions/" + session + "/renew", null,
                phone.renewalProof(env, device, session, challenge(device))).problem(401);

        // A stricter policy version denies the renewal that the previous one allowed, and closes the session.
        policies.put(env, String.format(NEEDS_KEY, "DENY"), "it");
        JsonNode denied = renew(session, token2, phone.renewalProof(env, device, session, challenge(device)))
                .problem(403);
        assertEquals("[\"ATTESTATION_UNAVAILABLE\"]", denied.path("categories").toString());
        assertFalse("no rule text reaches the device", denied.toString().contains("secret-rule-name"));
        assertTrue(sessionTokens.authenticate(token2).isEmpty());
        assertEquals(0, api.get(base + "/sessions?device=" + device, owner).json().path("items").size());

        // With a key provider deployed, a failed key check is a step-up that names what to prove; the
        // device's evidence reaches the provider with the server's nonce for the attempt, and a proof
        // over any other nonce (one the device chose, or an earlier attempt's) proves nothing.
        policies.put(env, String.format(NEEDS_KEY, "STEP_UP"), "it");
        ServiceRegistration<AttestationProvider> provider = registerKeyProvider();
        try {
            awaitInUse(TestKeyProvider.TYPE);
            JsonNode stepUp = api.trySession(env, device, phone).problem(401);
            assertEquals("[\"HARDWARE_KEY\"]", stepUp.path("categories").toString());
            String earlier = challenge(device);
            String issued = challenge(device);
            api.post(base + "/sessions", null, phone.sessionProof(env, device, issued, keyAnswer(earlier)))
                    .problem(401);
            api.post(base + "/sessions", null,
                    phone.sessionProof(env, device, issued, keyAnswer("chosen-by-the-device"))).problem(401);
            String fresh = challenge(device);
            Api.Answer withKey = api.post(base + "/sessions", null,
                    phone.sessionProof(env, device, fresh, keyAnswer(fresh)));
            assertEquals(withKey.body(), 201, withKey.status());
        } finally {
            provider.unregister();
        }

        // Revocation takes effect on the next request, and a restricted device is refused with its category.
        policies.put(env, PERMISSIVE, "it");
        String token3 = api.openSession(env, device, phone).path("sessionToken").asText();
        assertTrue(sessionTokens.authenticate(token3).isPresent());
        assertEquals(200, api.post(base + "/devices/" + device + "/trust", owner, "{\"state\":\"RESTRICTED\"}").status());
        assertTrue(sessionTokens.authenticate(token3).isEmpty());
        JsonNode restricted = api.trySession(env, device, phone).problem(403);
        assertEquals("DEVICE_TRUST", restricted.path("categories").get(0).asText());
    }

    @Test
    public void aKeyMarkedLostEndsTheDevicesSessionsAndASlowProviderHoldsNoWriter() throws Exception {
        DeviceKey phone = DeviceKey.generate();
        String device = enrol("carol@enigm", phone);
        ServiceRegistration<AttestationProvider> provider = registerKeyProvider();
        try {
            String token = api.openSession(env, device, phone).path("sessionToken").asText();
            assertTrue(sessionTokens.authenticate(token).isPresent());
            String operate = base + "/devices/" + device + "/attestations/" + TestKeyProvider.TYPE;
            awaitInUse(TestKeyProvider.TYPE);
            Api.Answer lost = api.post(operate, owner, "{\"operation\":\"mark-lost\"}");
            assertEquals(lost.body(), 200, lost.status());
            assertTrue("marking the Key lost closes the device's sessions", sessionTokens.authenticate(token).isEmpty());

            // A provider that stalls past the operation budget: refused with 503, and meanwhile the one
            // writer serves others (before issue 12, the operation ran on it and held every write).
            java.util.concurrent.CompletableFuture<Api.Answer> stalled = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> api.post(operate, owner, "{\"operation\":\"stall\"}"));
            assertTrue(TestKeyProvider.STALLING.await(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(200, api.send("PATCH", base, owner, "application/json",
                    "{\"name\":\"Sessions, renamed\"}".getBytes(StandardCharsets.UTF_8)).status());
            assertFalse("another write is done while the provider still stalls", stalled.isDone());
            stalled.get(10, java.util.concurrent.TimeUnit.SECONDS).problem(503);
        } finally {
            TestKeyProvider.RELEASE.countDown();
            provider.unregister();
        }
    }

    @Test
    public void anIccidVouchesForOneDeviceAndUnlinkingItEndsTheSessions() throws Exception {
        org.osgi.framework.Bundle esim = context.installBundle(
                java.nio.file.Path.of(System.getProperty("enigm.provider.esim")).toUri().toString());
        try {
            esim.start();
            DeviceKey phone = DeviceKey.generate();
            String device = enrol("dave@enigm", phone);
            String other = enrol("erin@enigm", DeviceKey.generate());
            String mine = base + "/devices/" + device + "/attestations/esim";
            awaitInUse("esim");
            String iccid = "{\"operation\":\"activate\",\"iccid\":\"8944500102198304826\"}";
            assertEquals(200, api.post(mine, owner, iccid).status());
            assertEquals(200, api.post(mine, owner, "{\"operation\":\"bind\"}").status());
            String theirs = base + "/devices/" + other + "/attestations/esim";
            api.post(theirs, owner, iccid).problem(409);

            String token = api.openSession(env, device, phone).path("sessionToken").asText();
            assertTrue(sessionTokens.authenticate(token).isPresent());
            assertEquals(200, api.post(mine, owner, "{\"operation\":\"unlink\"}").status());
            assertTrue("unlinking the eSIM closes the device's sessions", sessionTokens.authenticate(token).isEmpty());
            assertEquals(200, api.post(theirs, owner, iccid).status());
        } finally {
            esim.uninstall();
        }
    }

    private ServiceRegistration<AttestationProvider> registerKeyProvider() {
        return context.registerService(AttestationProvider.class, new TestKeyProvider(),
                TestKeyProvider.properties());
    }

    /** The registry takes a new provider up asynchronously: its decisions and operations use it once listed. */
    private void awaitInUse(String type) throws InterruptedException {
        awaitTrue(type + " is in use", () -> registry.providers().stream().anyMatch(info -> info.type().equals(type)));
    }

    /** What the test Key provider takes as a Key's answer over {@code nonce}. */
    private static JsonNode keyAnswer(String nonce) {
        return Api.JSON.createObjectNode().set(TestKeyProvider.TYPE,
                Api.JSON.createObjectNode().put("answered", nonce));
    }

    private long events() {
        return Rows.count(database, "security_event", "environment_id = :env", Map.of("env", env));
    }

    private Api.Answer renew(String session, String token, String proof) {
        return api.post(base + "/sessions/" + session + "/renew", token, proof);
    }

    /** New devices start TRUSTED here. */
    private String enrol(String account, DeviceKey key) {
        return api.enrol(base, owner, account, key.publicKey());
    }

    private String challenge(String device) {
        return api.challenge(env, device);
    }


    /**
     * An Enigm Key provider as an integrator would register one (under the type the configuration
     * names for the category): it passes only an answer over the nonce the server issued for the
     * attempt; "mark-lost" ends the device's sessions, "stall" answers only once the test lets it.
     */
    private static final class TestKeyProvider implements AttestationProvider {

        static final String TYPE = "enigm-key";
        static final java.util.concurrent.CountDownLatch STALLING = new java.util.concurrent.CountDownLatch(1);
        static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

        /** What it is, as its service properties state it. */
        static Hashtable<String, Object> properties() {
            return new Hashtable<>(Map.of(ProviderMetadata.TYPE, TYPE,
                    ProviderMetadata.NAME, "Session test key", ProviderMetadata.VERSION, "1.0.0",
                    ProviderMetadata.CATEGORY, SignalCategory.HARDWARE_KEY.name()));
        }

        @Override
        public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
            boolean pass = device.challenge().isPresent() && device.challenge().get().equals(evidence.get("answered"));
            return new Signal(SignalCategory.HARDWARE_KEY, pass ? SignalResult.PASS : SignalResult.UNKNOWN,
                    Instant.now().plus(Duration.ofMinutes(1)), pass ? "ok" : "no-answer");
        }

        @Override
        public Set<String> operations() {
            return Set.of("mark-lost", "stall");
        }

        @Override
        public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request) {
            if ("stall".equals(operation)) {
                STALLING.countDown();
                try {
                    RELEASE.await(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            device.endSessions();
            return Map.of("state", "LOST");
        }

        @Override
        public Map<String, Object> describe(AttestedDevice device) {
            return Map.of();
        }
    }
}
