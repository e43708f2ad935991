package io.enigm.server.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
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
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

import com.fasterxml.jackson.databind.JsonNode;

import io.enigm.server.admin.AdminRole;
import io.enigm.server.admin.AdminTokens;
import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.AttestedDevice;
import io.enigm.server.attestation.spi.Signal;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.membership.SessionTokens;
import io.enigm.server.policy.Policies;
import io.enigm.server.store.Database;

/**
 * The app's session flow over HTTP inside a real Felix, decided by the real policy engine: a
 * device opens a session with a signed nonce, replays and forgeries are refused and counted, a
 * renewal is decided under the policy in force (a stricter version denies it and closes the
 * session), a step-up names its categories, and a restriction stops the token on the next request.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
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
        KeyPair phone = ed25519();
        String device = enrol("alice@enigm", phone);

        // A signed nonce opens a session; the token is kept only as a hash.
        String nonce = challenge(device);
        String body = proof(device, phone, nonce);
        Api.Answer opened = api.post(base + "/sessions", null, body);
        assertEquals(opened.body(), 201, opened.status());
        JsonNode grant = opened.json();
        assertEquals("ALLOW", grant.path("decision").asText());
        String token = grant.path("sessionToken").asText();
        String session = grant.path("sessionId").asText();
        assertTrue(Instant.parse(grant.path("expiresAt").asText()).isAfter(Instant.now().plus(Duration.ofMinutes(14))));
        assertTrue(grant.path("warnings").isArray());
        assertTrue(opened.raw().headers().firstValue("Location").orElseThrow().endsWith("/sessions/" + session));
        assertEquals(0L, (long) database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM session"
                + " WHERE token_hash = :token").bind("token", token).mapTo(Long.class).one()));
        assertEquals(device, sessionTokens.authenticate(token).orElseThrow().deviceId());

        // Replays, forgeries and nonces of another device are refused with 401 and counted.
        long events = events();
        api.post(base + "/sessions", null, body).problem(401);
        api.post(base + "/sessions", null, proof(device, ed25519(), challenge(device))).problem(401);
        KeyPair laptop = ed25519();
        String bobDevice = enrol("bob@enigm", laptop);
        api.post(base + "/sessions", null, proof(device, phone, challenge(bobDevice))).problem(401);
        assertEquals(events + 3, events());
        // Reviewers read them through the API: categories, risk classes and handles, nothing raw.
        List<String> seen = new ArrayList<>();
        for (JsonNode event : api.get(base + "/security-events?limit=200", owner).json().path("items")) {
            seen.add(event.path("category").asText() + "/" + event.path("risk").asText());
            assertFalse(event.toString().contains(Base64.getEncoder().encodeToString(phone.getPublic().getEncoded())));
        }
        assertEquals(events + 3, seen.size());
        assertEquals(List.of("SESSION_NONCE_MISMATCH/HIGH", "SESSION_NONCE_UNKNOWN/MEDIUM",
                "SESSION_SIGNATURE_FORGED/HIGH"), seen.subList(seen.size() - 3, seen.size()).stream().sorted().toList());
        api.post(base + "/sessions", null, "{\"deviceId\":\"" + device + "\"}").problem(422);

        // Renewal: the session token plus a fresh signed nonce gives a new token; the old one stops.
        Api.Answer renewed = renew(session, token, proof(device, phone, challenge(device)));
        assertEquals(renewed.body(), 200, renewed.status());
        String token2 = renewed.json().path("sessionToken").asText();
        assertNotEquals(token, token2);
        renew(session, token, proof(device, phone, challenge(device))).problem(401);
        api.post(base + "/sessions/" + session + "/renew", null, proof(device, phone, challenge(device))).problem(401);

        // A stricter policy version denies the renewal that the previous one allowed, and closes the session.
        policies.put(env, String.format(NEEDS_KEY, "DENY"), "it");
        JsonNode denied = renew(session, token2, proof(device, phone, challenge(device))).problem(403);
        assertEquals("[\"ATTESTATION_UNAVAILABLE\"]", denied.path("categories").toString());
        assertFalse("no rule text reaches the device", denied.toString().contains("secret-rule-name"));
        assertTrue(sessionTokens.authenticate(token2).isEmpty());
        assertEquals(0, api.get(base + "/sessions?device=" + device, owner).json().path("items").size());

        // With a key provider deployed, a failed key check is a step-up that names what to prove,
        // and the device's evidence reaches the provider.
        policies.put(env, String.format(NEEDS_KEY, "STEP_UP"), "it");
        ServiceRegistration<AttestationProvider> provider = context.registerService(AttestationProvider.class,
                new TestKeyProvider(), new Hashtable<>(Map.of(AttestationProvider.TYPE_PROPERTY, TestKeyProvider.TYPE)));
        try {
            JsonNode stepUp = awaitStepUp(device, phone);
            assertEquals("[\"HARDWARE_KEY\"]", stepUp.path("categories").toString());
            Api.Answer withKey = api.post(base + "/sessions", null, proof(device, phone, challenge(device),
                    "{\"" + TestKeyProvider.TYPE + "\":{\"pass\":true}}"));
            assertEquals(withKey.body(), 201, withKey.status());
        } finally {
            provider.unregister();
        }

        // Revocation takes effect on the next request, and a restricted device is refused with its category.
        policies.put(env, PERMISSIVE, "it");
        String token3 = api.post(base + "/sessions", null, proof(device, phone, challenge(device))).json()
                .path("sessionToken").asText();
        assertTrue(sessionTokens.authenticate(token3).isPresent());
        assertEquals(200, api.post(base + "/devices/" + device + "/trust", owner, "{\"state\":\"RESTRICTED\"}").status());
        assertTrue(sessionTokens.authenticate(token3).isEmpty());
        JsonNode restricted = api.post(base + "/sessions", null, proof(device, phone, challenge(device))).problem(403);
        assertEquals("DEVICE_TRUST", restricted.path("categories").get(0).asText());
    }

    private long events() {
        return database.read(handle -> handle.createQuery("SELECT COUNT(*) FROM security_event WHERE environment_id"
                + " = :env").bind("env", env).mapTo(Long.class).one());
    }

    private Api.Answer renew(String session, String token, String proof) {
        return api.post(base + "/sessions/" + session + "/renew", token, proof);
    }

    /** New devices start TRUSTED here. */
    private String enrol(String account, KeyPair key) {
        return api.enrol(base, owner, account, key.getPublic());
    }

    private String challenge(String device) {
        return api.post(base + "/sessions/challenge", null, "{\"deviceId\":\"" + device + "\"}").json()
                .path("nonce").asText();
    }

    /** The registry picks a new provider up asynchronously; the step-up comes once it is in use. */
    private JsonNode awaitStepUp(String device, KeyPair phone) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        Api.Answer answer;
        do {
            answer = api.post(base + "/sessions", null, proof(device, phone, challenge(device)));
        } while (answer.status() == 403 && System.nanoTime() < deadline && pause());
        return answer.problem(401);
    }

    private static boolean pause() throws InterruptedException {
        Thread.sleep(50);
        return true;
    }

    private String proof(String device, KeyPair key, String nonce) throws Exception {
        return proof(device, key, nonce, "{}");
    }

    private String proof(String device, KeyPair key, String nonce, String evidence) throws Exception {
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key.getPrivate());
        signer.update(("enigm-session-v1\n" + env + "\n" + device + "\n" + nonce).getBytes(StandardCharsets.UTF_8));
        return "{\"deviceId\":\"" + device + "\",\"nonce\":\"" + nonce + "\",\"signature\":\""
                + Base64.getEncoder().encodeToString(signer.sign()) + "\",\"evidence\":" + evidence + "}";
    }

    /** An Enigm Key provider as an integrator would register one: it passes only evidence saying so. */
    private static final class TestKeyProvider implements AttestationProvider {

        static final String TYPE = "it-key";

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public String name() {
            return "Session test key";
        }

        @Override
        public String version() {
            return "1.0.0";
        }

        @Override
        public SignalCategory category() {
            return SignalCategory.HARDWARE_KEY;
        }

        @Override
        public Signal evaluate(AttestedDevice device, Map<String, Object> evidence) {
            boolean pass = Boolean.TRUE.equals(evidence.get("pass"));
            return new Signal(SignalCategory.HARDWARE_KEY, pass ? SignalResult.PASS : SignalResult.FAIL,
                    Instant.now().plus(Duration.ofMinutes(1)), pass ? "ok" : "no-key");
        }

        @Override
        public Set<String> operations() {
            return Set.of();
        }

        @Override
        public Map<String, Object> operate(AttestedDevice device, String operation, Map<String, Object> request) {
            throw new UnsupportedOperationException(operation);
        }

        @Override
        public Map<String, Object> describe(AttestedDevice device) {
            return Map.of();
        }
    }

    private static KeyPair ed25519() throws Exception {
        return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }
}
