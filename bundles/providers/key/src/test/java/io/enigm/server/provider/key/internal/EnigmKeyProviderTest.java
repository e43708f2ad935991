package io.enigm.server.provider.key.internal;

import static io.enigm.server.attestation.spi.SignalCategory.HARDWARE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.internal.Installation;
import io.enigm.server.attestation.internal.ProviderRegistry;
import io.enigm.server.attestation.registry.AttestationChange;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.SignalResult;

/** The Enigm Key provider through the real registry and records, with real P-256 keys. */
class EnigmKeyProviderTest {

    @TempDir
    Path directory;

    private Installation installation;
    private ProviderRegistry registry;
    private DeviceRef device;
    private KeyPair key;

    @BeforeEach
    void setUp() throws Exception {
        installation = new Installation(directory);
        // a generous budget: the first ECDSA verification of a JVM loads classes
        registry = installation.registry(Map.of("defaultBudgetMillis", 5000));
        Installation.deploy(registry, new EnigmKeyProvider(
                Installation.configuration(EnigmKeyConfiguration.class, Map.of())));
        device = new DeviceRef(installation.environment("Keys"), "member-1", "device-1", new byte[0]);
        key = p256();
    }

    @AfterEach
    void tearDown() {
        Installation.stop(registry);
    }

    @Test
    void isListedAsItsServicePropertiesStateIt() {
        assertEquals(List.of(new ProviderInfo("enigm-key", "Enigm Key hardware token", "1.0.0", HARDWARE_KEY,
                Installation.TEST_BUNDLE, true)), registry.providers());
    }

    @Test
    void aKeysAnswerCountsOnlyForTheNonceTheServerIssuedForThisAttempt() throws Exception {
        link(key, "EK-0001");
        String issued = UUID.randomUUID().toString();
        assertTrue(observe(issued, Map.of("signature", sign(key, device.deviceId(), issued))).passed());

        String chosenByTheDevice = UUID.randomUUID().toString();
        Observation unissued = observe(issued, Map.of("nonce", chosenByTheDevice, "signature",
                sign(key, device.deviceId(), chosenByTheDevice)));
        assertFalse(unissued.passed(), "an answer over a nonce the server never issued proves nothing");
        assertEquals(SignalResult.UNKNOWN, unissued.result());

        String next = UUID.randomUUID().toString();
        assertFalse(observe(next, Map.of("signature", sign(key, device.deviceId(), issued))).passed(),
                "an answer captured from one attempt is worth nothing for the next");
        Observation outsideAnAttempt = registry.observe(new DeviceRef(device.environmentId(), device.memberId(),
                device.deviceId(), device.publicKey()), Set.of(HARDWARE_KEY),
                Map.of("enigm-key", Map.of("signature", sign(key, device.deviceId(), issued)))).get(HARDWARE_KEY);
        assertEquals("NO_CHALLENGE", outsideAnAttempt.reasonCode());
    }

    @Test
    void aKeyVouchesForOneDeviceOfTheEnvironment() throws Exception {
        link(key, "EK-0001");
        DeviceRef otherMembersDevice = new DeviceRef(device.environmentId(), "member-2", "device-2", new byte[0]);
        AttestationException sameKey = assertThrows(AttestationException.class, () -> Installation.operate(registry,
                otherMembersDevice, "enigm-key", "link", Map.of("publicKey", encoded(key), "serial", "EK-0009")));
        assertEquals(AttestationException.Reason.CONFLICT, sameKey.reason(), "the same Key under another serial");
        AttestationException sameSerial = assertThrows(AttestationException.class, () -> Installation.operate(
                registry, otherMembersDevice, "enigm-key", "link", Map.of("publicKey", encoded(p256()), "serial",
                        "EK-0001")));
        assertEquals(AttestationException.Reason.CONFLICT, sameSerial.reason(), "the same serial");
        assertEquals(1, installation.count("attestation_record"));

        // once the first device is out of service for good, its Key may move on
        installation.device(device.environmentId(), device.memberId(), device.deviceId(), "RETIRED");
        assertEquals("LINKED", Installation.operate(registry, otherMembersDevice, "enigm-key", "link",
                Map.of("publicKey", encoded(key), "serial", "EK-0001")).get("state"));
    }

    @Test
    void markingTheKeyLostOrRevokingItEndsTheDevicesSessions() throws Exception {
        assertFalse(registry.prepareOperation(device, "enigm-key", "link",
                Map.of("publicKey", encoded(key), "serial", "EK-0001")).endsSessions());
        link(key, "EK-0001");
        AttestationChange lost = registry.prepareOperation(device, "enigm-key", "mark-lost", Map.of());
        assertTrue(lost.endsSessions());
        assertEquals(0, installation.count("security_event"), "nothing is recorded before the change applies");
        lost.apply();
        assertEquals(1, installation.count("security_event"), "the loss is a DEVICE_KEY_LOST security event");
        assertTrue(registry.prepareOperation(device, "enigm-key", "revoke", Map.of()).endsSessions());
    }

    @Test
    void forgedWrongKeyAndOtherDeviceSignaturesFail() throws Exception {
        link(key, "EK-0001");
        String nonce = UUID.randomUUID().toString();
        byte[] forged = Base64.getDecoder().decode(sign(key, device.deviceId(), nonce));
        forged[forged.length - 1] ^= 1;
        assertEquals("BAD_SIGNATURE", observe(nonce, Map.of("signature",
                Base64.getEncoder().encodeToString(forged))).reasonCode());
        assertEquals("BAD_SIGNATURE", observe(nonce, Map.of("signature",
                sign(p256(), device.deviceId(), nonce))).reasonCode(), "a key that is not the linked one");
        assertEquals("BAD_SIGNATURE", observe(nonce, Map.of("signature",
                sign(key, "device-2", nonce))).reasonCode(), "an answer made for another device");
        assertEquals(SignalResult.UNKNOWN, observe(nonce, Map.of("signature", "AAAA")).result(),
                "nothing verified is no finding");
        assertEquals("MALFORMED_EVIDENCE", observe(nonce, Map.of("signature", "%%%")).reasonCode());
        assertEquals("MALFORMED_EVIDENCE", observe(nonce, Map.of("signature", 42)).reasonCode());
    }

    @Test
    void aReplayedKeyAnswerIsASecurityEventAndNoAnswerIsNone() throws Exception {
        link(key, "EK-0001");
        String first = UUID.randomUUID().toString();
        String answer = sign(key, device.deviceId(), first);
        assertTrue(observe(first, Map.of("signature", answer)).passed());
        assertEquals(0, installation.count("security_event"), "an accepted answer is no event");
        assertFalse(observe(UUID.randomUUID().toString(), Map.of("signature", answer)).passed(),
                "the answer replayed for a later attempt");
        assertEquals(1, installation.count("security_event"), "one KEY_ANSWER_REFUSED event");
        observe("n", Map.of());
        assertEquals(1, installation.count("security_event"), "no answer is no refused answer");
    }

    @Test
    void noEvidenceIsUnknownAndNoKeyFails() throws Exception {
        assertEquals("KEY_NOT_LINKED", observe("n", Map.of()).reasonCode());
        link(key, "EK-0001");
        Observation none = observe("n", Map.of());
        assertEquals(SignalResult.UNKNOWN, none.result());
    }

    @Test
    void aLostOrRevokedKeyFailsAtOnceWhateverItSigns() throws Exception {
        link(key, "EK-0001");
        Installation.operate(registry, device, "enigm-key", "mark-lost", Map.of());
        String nonce = UUID.randomUUID().toString();
        assertEquals("KEY_LOST", observe(nonce, Map.of("signature", sign(key, device.deviceId(), nonce)))
                .reasonCode());
        assertEquals("KEY_LOST", observe(nonce, Map.of()).reasonCode());
        Installation.operate(registry, device, "enigm-key", "revoke", Map.of());
        assertEquals("KEY_REVOKED", observe(nonce, Map.of("signature", sign(key, device.deviceId(), nonce)))
                .reasonCode());
    }

    @Test
    void lifecycleTransitionsAndIllegalOnes() throws Exception {
        assertConflict("mark-lost", Map.of());
        assertConflict("revoke", Map.of());
        assertConflict("replace", Map.of("publicKey", encoded(p256()), "serial", "EK-0002"));
        Map<String, Object> linked = link(key, "EK-0001");
        assertEquals("LINKED", linked.get("state"));
        assertNotEquals("EK-0001", linked.get("serial"), "the serial is kept as a handle");
        assertConflict("link", Map.of("publicKey", encoded(p256()), "serial", "EK-0002"));
        assertEquals("LOST", Installation.operate(registry, device, "enigm-key", "mark-lost", Map.of()).get("state"));
        assertConflict("mark-lost", Map.of());

        KeyPair next = p256();
        Map<String, Object> replaced = Installation.operate(registry, device, "enigm-key", "replace",
                Map.of("publicKey", encoded(next), "serial", "EK-0002"));
        assertEquals("LINKED", replaced.get("state"));
        assertEquals("REPLACED", ((Map<?, ?>) replaced.get("replaced")).get("state"));
        assertEquals(linked.get("serial"), ((Map<?, ?>) replaced.get("replaced")).get("serial"));
        String nonce = UUID.randomUUID().toString();
        assertEquals("BAD_SIGNATURE", observe(nonce, Map.of("signature",
                sign(key, device.deviceId(), nonce))).reasonCode(), "the replaced Key no longer counts");
        assertTrue(observe(nonce, Map.of("signature", sign(next, device.deviceId(), nonce))).passed());
        AttestationException same = assertThrows(AttestationException.class, () -> Installation.operate(registry, device,
                "enigm-key", "replace", Map.of("publicKey", encoded(next), "serial", "EK-0003")));
        assertEquals(AttestationException.Reason.INVALID_REQUEST, same.reason());

        assertEquals("REVOKED", Installation.operate(registry, device, "enigm-key", "revoke", Map.of()).get("state"));
        assertConflict("revoke", Map.of());
        assertConflict("mark-lost", Map.of());
    }

    @Test
    void badLinkRequestsAreRefusedAndStoreNothing() throws Exception {
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPairGenerator p384 = KeyPairGenerator.getInstance("EC");
        p384.initialize(new ECGenParameterSpec("secp384r1"));
        for (Map<String, Object> request : Set.<Map<String, Object>>of(
                Map.of("serial", "EK-1"),
                Map.of("publicKey", "not base64!", "serial", "EK-1"),
                Map.of("publicKey", encoded(ed25519), "serial", "EK-1"),
                Map.of("publicKey", encoded(p384.generateKeyPair()), "serial", "EK-1"),
                Map.of("publicKey", encoded(key)),
                Map.of("publicKey", encoded(key), "serial", "EK 1\n"),
                Map.of("publicKey", encoded(key), "serial", "X".repeat(65)))) {
            AttestationException refused = assertThrows(AttestationException.class,
                    () -> Installation.operate(registry, device, "enigm-key", "link", request));
            assertEquals(AttestationException.Reason.INVALID_REQUEST, refused.reason());
        }
        assertEquals(0, installation.count("attestation_record"));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EnigmKeyProvider(
                Installation.configuration(EnigmKeyConfiguration.class, Map.of("signalLifetimeSeconds", 0))));
    }

    @Test
    void verificationCost() throws Exception {
        link(key, "EK-0001");
        int rounds = 2000;
        String[] nonces = new String[rounds];
        String[] signatures = new String[rounds];
        for (int i = 0; i < rounds; i++) {
            nonces[i] = UUID.randomUUID().toString();
            signatures[i] = sign(key, device.deviceId(), nonces[i]);
        }
        long started = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            assertTrue(observe(nonces[i], Map.of("signature", signatures[i])).passed());
        }
        long micros = (System.nanoTime() - started) / 1000 / rounds;
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                "observe with a P-256 verification and a record read: {0} µs each", micros);
        assertFalse(micros > 50_000, "a verification costs " + micros + " µs");
    }

    /** Observes as during a session attempt for which the server issued {@code challenge}. */
    private Observation observe(String challenge, Map<String, Object> evidence) {
        DeviceRef attempt = new DeviceRef(device.environmentId(), device.memberId(), device.deviceId(),
                device.publicKey(), challenge);
        return registry.observe(attempt, Set.of(HARDWARE_KEY), Map.of("enigm-key", evidence)).get(HARDWARE_KEY);
    }

    private Map<String, Object> link(KeyPair pair, String serial) throws AttestationException {
        return Installation.operate(registry, device, "enigm-key", "link", Map.of("publicKey", encoded(pair), "serial", serial));
    }

    private void assertConflict(String operation, Map<String, Object> request) {
        AttestationException refused = assertThrows(AttestationException.class,
                () -> Installation.operate(registry, device, "enigm-key", operation, request));
        assertEquals(AttestationException.Reason.CONFLICT, refused.reason(), operation);
    }

    static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    static String encoded(KeyPair pair) {
        return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    }

    static String sign(KeyPair pair, String deviceId, String nonce) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(pair.getPrivate());
        signer.update(EnigmKeyProvider.message(deviceId, nonce));
        return Base64.getEncoder().encodeToString(signer.sign());
    }
}
