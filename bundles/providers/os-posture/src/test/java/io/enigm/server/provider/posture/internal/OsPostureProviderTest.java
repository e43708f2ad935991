package io.enigm.server.provider.posture.internal;

import static io.enigm.server.attestation.spi.SignalCategory.OS_POSTURE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.internal.Installation;
import io.enigm.server.attestation.internal.ProviderRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.SignalResult;

/** The OS posture provider through the real registry, with real Ed25519 statements. */
class OsPostureProviderTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    /** The server's nonce for the session attempt being decided. */
    private static final String NONCE = "nonce-of-this-attempt";

    @TempDir
    Path directory;

    private Installation installation;
    private ProviderRegistry registry;
    private DeviceRef device;
    private KeyPair enigmOs;
    private String deviceKey;

    @BeforeEach
    void setUp() throws Exception {
        installation = new Installation(directory);
        registry = installation.registry(Map.of("defaultBudgetMillis", 5000));
        enigmOs = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Installation.deploy(registry, provider(Map.of()));
        byte[] enrolled = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        deviceKey = Base64.getEncoder().encodeToString(enrolled);
        device = new DeviceRef(installation.environment("Posture"), "member-1", "device-1", enrolled, NONCE);
    }

    @AfterEach
    void tearDown() {
        Installation.stop(registry);
    }

    @Test
    void isListedAsItsServicePropertiesStateIt() {
        assertEquals(List.of(new ProviderInfo("os-posture", "Enigm OS posture", "1.0.0", OS_POSTURE,
                Installation.TEST_BUNDLE, true)), registry.providers());
    }

    @Test
    void aFreshSignedHealthyStatementPassesAndSaysItsPatchDate() throws Exception {
        Observation passed = observe(signed(enigmOs, statement("device-1", "2026-11-01", true, "[]", NOW)));
        assertTrue(passed.passed());
        assertEquals("OK;patchDate=2026-11-01", passed.reasonCode());
        assertEquals(NOW.plusSeconds(3600), passed.expiresAt(), "it expires when the statement goes stale");
        Map<String, Object> view = registry.describe(device, "os-posture");
        assertEquals("2026-11-01", ((Map<?, ?>) view.get("lastVerified")).get("patchDate"));
    }

    @Test
    void aPassExpiresWhenThePatchBecomesTooOld() throws Exception {
        Installation.stop(registry);
        registry = installation.registry(Map.of("defaultBudgetMillis", 5000));
        Installation.deploy(registry, provider(Map.of("freshnessSeconds", 86_400)));
        Observation passed = observe(signed(enigmOs, statement("device-1", "2026-08-27", true, "[]", NOW)));
        assertTrue(passed.passed());
        assertEquals(Instant.parse("2026-11-26T00:00:00Z"), passed.expiresAt());
    }

    @Test
    void postureFailuresNameEveryReasonAndThePatchDateAndOnlyAnOutdatedPatchIsALapse() throws Exception {
        Observation old = observe(signed(enigmOs, statement("device-1", "2026-01-15", true, "[]", NOW)));
        assertEquals(SignalResult.FAIL, old.result());
        assertEquals("PATCH_AGE;patchDate=2026-01-15", old.reasonCode());
        assertTrue(old.lapse(), "a verified, outdated patch level is drift a policy may grace");
        Observation all = observe(signed(enigmOs, statement("device-1", "2026-01-15", false, "[\"ROOTED\"]", NOW)));
        assertEquals("PATCH_AGE,VERIFIED_BOOT,INTEGRITY;patchDate=2026-01-15", all.reasonCode());
        assertFalse(all.lapse(), "a boot or integrity failure is a compromise, never graced");
        assertFalse(observe(signed(enigmOs, statement("device-1", "2026-11-01", false, "[]", NOW))).lapse());
    }

    @Test
    void inputTheDeviceControlsIsNeverAFindingOnlyUnknown() throws Exception {
        Map<String, Object> good = signed(enigmOs, statement("device-1", "2026-11-01", true, "[]", NOW));
        byte[] tampered = Base64.getDecoder().decode((String) good.get("statement"));
        String text = new String(tampered, StandardCharsets.UTF_8).replace("\"verifiedBoot\":true",
                "\"verifiedBoot\":false").replace("2026-11-01", "2026-11-02");
        assertUnknown("BAD_SIGNATURE", Map.of("statement", Base64.getEncoder().encodeToString(
                text.getBytes(StandardCharsets.UTF_8)), "signature", good.get("signature")));
        KeyPair impostor = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertUnknown("BAD_SIGNATURE", signed(impostor, statement("device-1", "2026-11-01", true, "[]", NOW)));
        assertUnknown("OTHER_DEVICE", signed(enigmOs, statement("device-2", "2026-11-01", true, "[]", NOW)));
        assertUnknown("MALFORMED_STATEMENT", signed(enigmOs, "{\"deviceId\":\"device-1\"}"));
        assertUnknown("MALFORMED_STATEMENT", signed(enigmOs, "not json"));
        assertUnknown("MALFORMED_EVIDENCE", Map.of("statement", "%%", "signature", "AA=="));
        assertUnknown("MALFORMED_EVIDENCE", Map.of("statement", 7));
    }

    @Test
    void aStatementServesOneAttemptOfTheDeviceWithItsEnrolledKey() throws Exception {
        assertUnknown("OTHER_ATTEMPT", signed(enigmOs, statement("device-1", deviceKey, "an-earlier-nonce",
                "2026-11-01", true, "[]", NOW)));
        String otherKey = Base64.getEncoder().encodeToString(KeyPairGenerator.getInstance("Ed25519")
                .generateKeyPair().getPublic().getEncoded());
        assertUnknown("OTHER_DEVICE", signed(enigmOs, statement("device-1", otherKey, NONCE, "2026-11-01", true,
                "[]", NOW)));
        DeviceRef outsideAnAttempt = new DeviceRef(device.environmentId(), device.memberId(), device.deviceId(),
                device.publicKey());
        Observation noChallenge = registry.observe(outsideAnAttempt, Set.of(OS_POSTURE), Map.of("os-posture",
                signed(enigmOs, statement("device-1", "2026-11-01", true, "[]", NOW)))).get(OS_POSTURE);
        assertEquals(SignalResult.UNKNOWN, noChallenge.result());
    }

    @Test
    void staleReplayedAndFutureStatementsAreUnknown() throws Exception {
        Map<String, Object> stale = signed(enigmOs, statement("device-1", "2026-11-01", true, "[]",
                NOW.minusSeconds(3601)));
        assertUnknown("STALE", stale);
        assertUnknown("ISSUED_IN_FUTURE", signed(enigmOs, statement("device-1", "2026-11-01", true, "[]",
                NOW.plusSeconds(301))));
        assertEquals(SignalResult.UNKNOWN, observe(Map.of()).result(), "no evidence");
    }

    private void assertUnknown(String reason, Map<String, Object> evidence) {
        Observation observation = observe(evidence);
        assertEquals(SignalResult.UNKNOWN, observation.result(), reason);
        assertEquals(reason, observation.reasonCode());
        assertFalse(observation.lapse());
    }

    @Test
    void configurationIsValidatedOnActivation() {
        assertThrows(IllegalArgumentException.class, () -> new OsPostureProvider(
                Installation.configuration(OsPostureConfiguration.class, Map.of())), "no signing key");
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("signingPublicKey", "AAAA")));
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("maxPatchAgeDays", 0)));
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("freshnessSeconds", 10)));
    }

    @Test
    void verificationCost() throws Exception {
        Map<String, Object> evidence = signed(enigmOs, statement("device-1", "2026-11-01", true, "[]", NOW));
        OsPostureProvider provider = provider(Map.of());
        io.enigm.server.attestation.spi.AttestedDevice attested = new io.enigm.server.attestation.spi.AttestedDevice() {
            public String environmentId() { return device.environmentId(); }
            public String memberId() { return "member-1"; }
            public String deviceId() { return "device-1"; }
            public byte[] publicKey() { return device.publicKey(); }
            public String handleOf(String raw) { throw new UnsupportedOperationException(); }
            public io.enigm.server.attestation.spi.ProviderRecords records() { throw new UnsupportedOperationException(); }
            public java.util.Optional<String> challenge() { return java.util.Optional.of(NONCE); }
            public void endSessions() { throw new UnsupportedOperationException(); }
        };
        for (int i = 0; i < 2000; i++) {
            provider.evaluate(attested, evidence);
        }
        int rounds = 5000;
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            assertEquals(SignalResult.PASS, provider.evaluate(attested, evidence).result());
        }
        long micros = (System.nanoTime() - started) / 1000 / rounds;
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                "OS posture evaluate (JDK Ed25519 verify + parse): {0} µs", micros);
    }

    private OsPostureProvider provider(Map<String, Object> values) {
        Map<String, Object> configuration = new java.util.HashMap<>(Map.of("signingPublicKey",
                Base64.getEncoder().encodeToString(enigmOs.getPublic().getEncoded())));
        configuration.putAll(values);
        return new OsPostureProvider(Installation.configuration(OsPostureConfiguration.class, configuration),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private Observation observe(Map<String, Object> evidence) {
        return registry.observe(device, Set.of(OS_POSTURE), Map.of("os-posture", evidence)).get(OS_POSTURE);
    }

    /** A statement for this test's device key and attempt. */
    private String statement(String deviceId, String patchDate, boolean verifiedBoot, String integrity,
            Instant issuedAt) {
        return statement(deviceId, deviceKey, NONCE, patchDate, verifiedBoot, integrity, issuedAt);
    }

    static String statement(String deviceId, String deviceKey, String nonce, String patchDate, boolean verifiedBoot,
            String integrity, Instant issuedAt) {
        return "{\"deviceId\":\"" + deviceId + "\",\"deviceKey\":\"" + deviceKey + "\",\"nonce\":\"" + nonce
                + "\",\"osVersion\":\"Enigm OS 5.2\",\"patchDate\":\"" + patchDate
                + "\",\"verifiedBoot\":" + verifiedBoot + ",\"integrity\":" + integrity + ",\"issuedAt\":\""
                + issuedAt + "\",\"build\":{\"id\":\"future field\"}}";
    }

    static Map<String, Object> signed(KeyPair signer, String statement) throws Exception {
        byte[] bytes = statement.getBytes(StandardCharsets.UTF_8);
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(signer.getPrivate());
        signature.update(bytes);
        return Map.of("statement", Base64.getEncoder().encodeToString(bytes),
                "signature", Base64.getEncoder().encodeToString(signature.sign()));
    }
}
