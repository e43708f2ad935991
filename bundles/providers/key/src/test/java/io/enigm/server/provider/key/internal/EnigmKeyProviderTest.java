package io.enigm.server.provider.key.internal;

import static io.enigm.server.attestation.spi.SignalCategory.HARDWARE_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.internal.Installation;
import io.enigm.server.attestation.internal.ProviderRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
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
    void aLinkedKeysAnswerPassesOnceAndItsReplayFails() throws Exception {
        link(key, "EK-0001");
        String nonce = UUID.randomUUID().toString();
        String signature = sign(key, device.deviceId(), nonce);
        Observation first = observe(Map.of("nonce", nonce, "signature", signature));
        assertTrue(first.passed());
        Observation replayed = observe(Map.of("nonce", nonce, "signature", signature));
        assertEquals(SignalResult.FAIL, replayed.result());
        assertEquals("REPLAYED", replayed.reasonCode());
    }

    @Test
    void aReEncodedSignatureOfAnAnsweredChallengeIsStillAReplay() throws Exception {
        link(key, "EK-0001");
        String nonce = UUID.randomUUID().toString();
        byte[] der = Base64.getDecoder().decode(sign(key, device.deviceId(), nonce));
        assertTrue(observe(Map.of("nonce", nonce, "signature", Base64.getEncoder().encodeToString(der))).passed());
        String malleated = Base64.getEncoder().encodeToString(negateS(der));
        Observation again = observe(Map.of("nonce", nonce, "signature", malleated));
        assertEquals("REPLAYED", again.reasonCode(), "(r, n - s) verifies too; the challenge is what counts");
    }

    @Test
    void forgedWrongKeyAndOtherDeviceSignaturesFail() throws Exception {
        link(key, "EK-0001");
        String nonce = UUID.randomUUID().toString();
        byte[] forged = Base64.getDecoder().decode(sign(key, device.deviceId(), nonce));
        forged[forged.length - 1] ^= 1;
        assertEquals("BAD_SIGNATURE", observe(Map.of("nonce", nonce, "signature",
                Base64.getEncoder().encodeToString(forged))).reasonCode());
        assertEquals("BAD_SIGNATURE", observe(Map.of("nonce", nonce, "signature",
                sign(p256(), device.deviceId(), nonce))).reasonCode(), "a key that is not the linked one");
        assertEquals("BAD_SIGNATURE", observe(Map.of("nonce", nonce, "signature",
                sign(key, "device-2", nonce))).reasonCode(), "an answer made for another device");
        assertEquals("MALFORMED_EVIDENCE", observe(Map.of("nonce", nonce, "signature", "%%%")).reasonCode());
        assertEquals("MALFORMED_EVIDENCE", observe(Map.of("nonce", 42, "signature", "AAAA")).reasonCode());
        assertTrue(observe(Map.of("nonce", nonce, "signature", sign(key, device.deviceId(), nonce))).passed(),
                "failed attempts do not burn the challenge");
    }

    @Test
    void noEvidenceIsUnknownAndNoKeyFails() throws Exception {
        assertEquals("KEY_NOT_LINKED", observe(Map.of()).reasonCode());
        link(key, "EK-0001");
        Observation none = observe(Map.of());
        assertEquals(SignalResult.UNKNOWN, none.result());
    }

    @Test
    void aLostOrRevokedKeyFailsAtOnceWhateverItSigns() throws Exception {
        link(key, "EK-0001");
        registry.operate(device, "enigm-key", "mark-lost", Map.of());
        String nonce = UUID.randomUUID().toString();
        assertEquals("KEY_LOST", observe(Map.of("nonce", nonce, "signature",
                sign(key, device.deviceId(), nonce))).reasonCode());
        assertEquals("KEY_LOST", observe(Map.of()).reasonCode());
        registry.operate(device, "enigm-key", "revoke", Map.of());
        assertEquals("KEY_REVOKED", observe(Map.of("nonce", nonce, "signature",
                sign(key, device.deviceId(), nonce))).reasonCode());
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
        assertEquals("LOST", registry.operate(device, "enigm-key", "mark-lost", Map.of()).get("state"));
        assertConflict("mark-lost", Map.of());

        KeyPair next = p256();
        Map<String, Object> replaced = registry.operate(device, "enigm-key", "replace",
                Map.of("publicKey", encoded(next), "serial", "EK-0002"));
        assertEquals("LINKED", replaced.get("state"));
        assertEquals("REPLACED", ((Map<?, ?>) replaced.get("replaced")).get("state"));
        assertEquals(linked.get("serial"), ((Map<?, ?>) replaced.get("replaced")).get("serial"));
        String nonce = UUID.randomUUID().toString();
        assertEquals("BAD_SIGNATURE", observe(Map.of("nonce", nonce, "signature",
                sign(key, device.deviceId(), nonce))).reasonCode(), "the replaced Key no longer counts");
        assertTrue(observe(Map.of("nonce", nonce, "signature", sign(next, device.deviceId(), nonce))).passed());
        AttestationException same = assertThrows(AttestationException.class, () -> registry.operate(device,
                "enigm-key", "replace", Map.of("publicKey", encoded(next), "serial", "EK-0003")));
        assertEquals(AttestationException.Reason.INVALID_REQUEST, same.reason());

        assertEquals("REVOKED", registry.operate(device, "enigm-key", "revoke", Map.of()).get("state"));
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
                    () -> registry.operate(device, "enigm-key", "link", request));
            assertEquals(AttestationException.Reason.INVALID_REQUEST, refused.reason());
        }
        assertEquals(0, installation.count("attestation_record"));
    }

    @Test
    void badConfigurationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EnigmKeyProvider(
                Installation.configuration(EnigmKeyConfiguration.class, Map.of("replayWindowSeconds", 10))));
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
            assertTrue(observe(Map.of("nonce", nonces[i], "signature", signatures[i])).passed());
        }
        long micros = (System.nanoTime() - started) / 1000 / rounds;
        System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                "observe with a P-256 verification and a record read: {0} µs each", micros);
        assertFalse(micros > 50_000, "a verification costs " + micros + " µs");
    }

    private Observation observe(Map<String, Object> evidence) {
        return registry.observe(device, Set.of(HARDWARE_KEY), Map.of("enigm-key", evidence)).get(HARDWARE_KEY);
    }

    private Map<String, Object> link(KeyPair pair, String serial) throws AttestationException {
        return registry.operate(device, "enigm-key", "link", Map.of("publicKey", encoded(pair), "serial", serial));
    }

    private void assertConflict(String operation, Map<String, Object> request) {
        AttestationException refused = assertThrows(AttestationException.class,
                () -> registry.operate(device, "enigm-key", operation, request));
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

    /** The same signature as (r, n - s), DER-encoded: also valid for ECDSA. */
    private static byte[] negateS(byte[] der) {
        int offset = 2;
        int rLength = der[offset + 1];
        byte[] r = java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + rLength);
        offset += 2 + rLength;
        int sLength = der[offset + 1];
        BigInteger s = new BigInteger(1, java.util.Arrays.copyOfRange(der, offset + 2, offset + 2 + sLength));
        BigInteger n = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);
        byte[] negated = n.subtract(s).toByteArray();
        byte[] body = new byte[2 + r.length + 2 + negated.length];
        body[0] = 0x02;
        body[1] = (byte) r.length;
        System.arraycopy(r, 0, body, 2, r.length);
        body[2 + r.length] = 0x02;
        body[3 + r.length] = (byte) negated.length;
        System.arraycopy(negated, 0, body, 4 + r.length, negated.length);
        byte[] sequence = new byte[2 + body.length];
        sequence[0] = 0x30;
        sequence[1] = (byte) body.length;
        System.arraycopy(body, 0, sequence, 2, body.length);
        return sequence;
    }
}
