package io.enigm.server.provider.mdm.internal;

import static io.enigm.server.attestation.spi.SignalCategory.MANAGED_DEVICE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.internal.Installation;
import io.enigm.server.attestation.internal.ProviderRegistry;
import io.enigm.server.attestation.registry.DeviceRef;
import io.enigm.server.attestation.registry.Observation;
import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.AttestationException;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.store.internal.TestClock;

/** The managed-device provider through the real registry and records, with real HMAC-SHA256 reports. */
class ManagedDeviceProviderTest {

    private static final String SECRET = "a-shared-secret-of-at-least-32-characters";

    @TempDir
    Path directory;

    private final TestClock clock = new TestClock();
    private Installation installation;
    private ProviderRegistry registry;
    private DeviceRef device;

    @BeforeEach
    void setUp() {
        installation = new Installation(directory);
        registry = installation.registry(Map.of("defaultBudgetMillis", 5000));
        Installation.deploy(registry, provider(Map.of()));
        device = new DeviceRef(installation.environment("Managed"), "member-1", "device-1", new byte[0]);
    }

    @AfterEach
    void tearDown() {
        Installation.stop(registry);
    }

    @Test
    void isListedAsItsServicePropertiesStateIt() {
        assertEquals(List.of(new ProviderInfo("managed-device", "Managed device compliance", "1.0.0", MANAGED_DEVICE,
                Installation.TEST_BUNDLE, true)), registry.providers());
    }

    @Test
    void complianceStatesBecomeSignalsUntilTheWindowCloses() throws Exception {
        assertEquals("NO_REPORT", observe().reasonCode());
        assertEquals(SignalResult.UNKNOWN, observe().result());
        deliver(report("ENROLLED", clock.instant()), SECRET);
        assertEquals("NOT_COMPLIANT_YET", observe().reasonCode());
        clock.advance(Duration.ofMinutes(1));
        deliver(report("COMPLIANT", clock.instant()), SECRET);
        assertTrue(observe().passed());
        clock.advance(Duration.ofMinutes(1));
        deliver(report("NON_COMPLIANT", clock.instant()), SECRET);
        assertEquals("NON_COMPLIANT", observe().reasonCode());
        assertTrue(observe().lapse(), "the service verified the drift: a policy may grace it");
        clock.advance(Duration.ofMinutes(1));
        deliver(report("COMPLIANT", clock.instant()), SECRET);
        clock.advance(Duration.ofHours(24));
        assertEquals(SignalResult.UNKNOWN, observe().result(), "no report within the window");
        assertEquals("REPORT_EXPIRED", observe().reasonCode());
        deliver(report("RETIRED", clock.instant()), SECRET);
        assertEquals("RETIRED", observe().reasonCode());
        assertFalse(observe().lapse());
    }

    @Test
    void aReportDatedInTheFutureIsRefusedAndCannotHoldOffGenuineOnes() throws Exception {
        String ahead = report("COMPLIANT", clock.instant().plusSeconds(120));
        assertRefused(AttestationException.Reason.INVALID_REQUEST, Map.of("report", ahead, "signature",
                hmac(ahead, SECRET)));
        clock.advance(Duration.ofSeconds(1));
        deliver(report("NON_COMPLIANT", clock.instant()), SECRET);
        assertEquals("NON_COMPLIANT", observe().reasonCode(), "the genuine report of now is taken");
        // clock noise of a few seconds is still accepted
        clock.advance(Duration.ofSeconds(1));
        deliver(report("COMPLIANT", clock.instant().plus(ManagedDeviceProvider.FUTURE_TOLERANCE)), SECRET);
        assertTrue(observe().passed());
    }

    @Test
    void aRetiredReportEndsTheDevicesSessions() throws Exception {
        String compliant = report("COMPLIANT", clock.instant());
        assertFalse(registry.prepareCallback(device, "managed-device", "report",
                Map.of("report", compliant, "signature", hmac(compliant, SECRET))).endsSessions());
        String retired = report("RETIRED", clock.instant());
        assertTrue(registry.prepareCallback(device, "managed-device", "report",
                Map.of("report", retired, "signature", hmac(retired, SECRET))).endsSessions());
    }

    @Test
    void forgedWrongSecretOtherDeviceStaleAndReplayedReportsAreRefused() throws Exception {
        String report = report("COMPLIANT", clock.instant());
        assertRefused(AttestationException.Reason.INVALID_REQUEST,
                Map.of("report", report.replace("COMPLIANT", "NON_COMPLIANT"), "signature", hmac(report, SECRET)));
        assertRefused(AttestationException.Reason.INVALID_REQUEST,
                Map.of("report", report, "signature", hmac(report, "another-secret-of-at-least-32-characters")));
        assertRefused(AttestationException.Reason.INVALID_REQUEST, Map.of("report", report, "signature", "zz"));
        String elsewhere = report.replace("device-1", "device-2");
        assertRefused(AttestationException.Reason.INVALID_REQUEST,
                Map.of("report", elsewhere, "signature", hmac(elsewhere, SECRET)));
        String stale = report("COMPLIANT", clock.instant().minusSeconds(301));
        assertRefused(AttestationException.Reason.INVALID_REQUEST, Map.of("report", stale, "signature",
                hmac(stale, SECRET)));
        String future = report("COMPLIANT", clock.instant().plusSeconds(301));
        assertRefused(AttestationException.Reason.INVALID_REQUEST, Map.of("report", future, "signature",
                hmac(future, SECRET)));
        String malformed = "{\"state\":\"COMPLIANT\"}";
        assertRefused(AttestationException.Reason.INVALID_REQUEST, Map.of("report", malformed, "signature",
                hmac(malformed, SECRET)));
        assertEquals(0, installation.count("attestation_record"), "nothing refused was stored");

        deliver(report, SECRET);
        assertRefused(AttestationException.Reason.CONFLICT, Map.of("report", report, "signature",
                hmac(report, SECRET)));
        String older = report("NON_COMPLIANT", clock.instant().minusSeconds(10));
        assertRefused(AttestationException.Reason.CONFLICT, Map.of("report", older, "signature",
                hmac(older, SECRET)));
        assertTrue(observe().passed(), "the refused reports changed nothing");
    }

    @Test
    void callbacksAreAuthenticatedBeforeAnythingIsWritten() throws Exception {
        String report = report("COMPLIANT", clock.instant());
        Map<String, Object> signed = Map.of("report", report, "signature", hmac(report, SECRET));
        for (Map<String, Object> forged : List.of(
                Map.<String, Object>of("report", report, "signature", hmac(report, "another-secret-of-at-least-32-chars")),
                Map.<String, Object>of("report", report.replace("COMPLIANT", "RETIRED"), "signature",
                        hmac(report, SECRET)),
                Map.<String, Object>of("report", report))) {
            assertThrows(AttestationException.class,
                    () -> registry.prepareCallback(device, "managed-device", "report", forged));
        }
        assertThrows(AttestationException.class,
                () -> registry.prepareCallback(device, "managed-device", "link", signed), "not a callback");
        assertEquals(0, installation.count("attestation_record"), "refused callbacks store nothing");

        Installation.callback(registry, device, "managed-device", "report", signed);
        assertTrue(observe().passed());
        assertEquals(AttestationException.Reason.CONFLICT, assertThrows(AttestationException.class,
                () -> Installation.callback(registry, device, "managed-device", "report", signed)).reason(),
                "a captured report is refused when replayed");
    }

    @Test
    void configurationIsValidatedOnActivation() {
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("hmacSecret", "")));
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("hmacSecret", "short")));
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("reportWindowHours", 0)));
        assertThrows(IllegalArgumentException.class, () -> provider(Map.of("clockSkewSeconds", 1)));
    }

    private ManagedDeviceProvider provider(Map<String, Object> values) {
        Map<String, Object> configuration = new java.util.HashMap<>(Map.of("hmacSecret", SECRET));
        configuration.putAll(values);
        return new ManagedDeviceProvider(Installation.configuration(ManagedDeviceConfiguration.class, configuration),
                clock);
    }

    private Observation observe() {
        return registry.observe(device, Set.of(MANAGED_DEVICE), Map.of()).get(MANAGED_DEVICE);
    }

    private String report(String state, Instant reportedAt) {
        return "{\"environmentId\":\"" + device.environmentId() + "\",\"deviceId\":\"device-1\",\"state\":\"" + state
                + "\",\"reportedAt\":\"" + reportedAt + "\"}";
    }

    private void deliver(String report, String secret) throws Exception {
        Installation.operate(registry, device, "managed-device", "report", Map.of("report", report, "signature",
                hmac(report, secret)));
    }

    private void assertRefused(AttestationException.Reason reason, Map<String, Object> request) {
        AttestationException refused = assertThrows(AttestationException.class,
                () -> Installation.operate(registry, device, "managed-device", "report", request));
        assertEquals(reason, refused.reason());
    }

    static String hmac(String report, String secret) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(report.getBytes(StandardCharsets.UTF_8)));
    }
}
