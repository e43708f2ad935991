package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.audit.AuditRecord;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.DefensiveResponse;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentChanges;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.membership.SessionProof;
import io.enigm.server.membership.internal.Installation.DeviceKey;
import io.enigm.server.security.RiskClass;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventFilter;
import io.enigm.server.security.SecurityEventGroup;

/** Repeated failures of a device in the session flow: the anomaly event and the environment's defensive response. */
class DefensiveResponsesTest {

    private static final int FAILURES = 4;

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;
    private JoinRequest alice;
    private final DeviceKey forger = DeviceKey.generate();

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
        String id = installation.joinRequests.submit(new JoinSubmission(environment.serverId(), "alice@enigm",
                DeviceKey.generate().publicKey(), null, null)).join().id();
        alice = installation.approve(environment.id(), id);
        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.TRUSTED);
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private void defendAfter(int failures, Duration window) {
        installation.environments.update(environment.id(), new EnvironmentChanges(null, null, null, null, null, null,
                new DefensiveResponse(failures, (int) window.toSeconds())));
    }

    /** A session request whose signature alice's enrolled key did not make. */
    private void forge() {
        String nonce = installation.sessions.challenge(environment.id(), alice.deviceId()).nonce();
        SessionProof proof = new SessionProof(alice.deviceId(), nonce, forger.sign("enigm-session-v1\n"
                + environment.id() + "\n" + alice.deviceId() + "\n" + nonce), Map.of());
        assertThrows(AuthenticationFailedException.class,
                () -> installation.signedSessions.open(environment.id(), proof));
    }

    private void forge(int times) {
        for (int i = 0; i < times; i++) {
            forge();
        }
    }

    private List<SecurityEvent> events(SecurityEventCategory category) {
        return installation.securityEventFeed.list(environment.id(), new SecurityEventFilter(null, category, null,
                null), new PageRequest(null, 500)).items();
    }

    private DeviceTrust trust() {
        return installation.devices.get(environment.id(), alice.deviceId()).trust();
    }

    @Test
    void oneFailureShortOfTheSettingLeavesTheDeviceTrusted() {
        defendAfter(FAILURES, Duration.ofMinutes(5));
        forge(FAILURES - 1);
        assertEquals(DeviceTrust.TRUSTED, trust());
        assertEquals(List.of(), events(SecurityEventCategory.DEVICE_RESTRICTED_AUTOMATICALLY));
    }

    @Test
    void nForgedSignaturesRestrictTheDeviceWithOneHighEventAndAnAuditRecordBySystem() {
        defendAfter(FAILURES, Duration.ofMinutes(5));
        String session = installation.openSession(environment.id(), alice.memberId(), alice.deviceId());
        forge(FAILURES + 3);

        assertEquals(DeviceTrust.RESTRICTED, trust());
        List<SecurityEvent> responses = installation.securityEventFeed.list(environment.id(),
                new SecurityEventFilter(RiskClass.HIGH, null, SecurityEventGroup.DEFENSIVE_RESPONSE, null),
                new PageRequest(null, 500)).items();
        assertEquals(1, responses.size(), "one response, however many failures follow it");
        SecurityEvent response = responses.get(0);
        assertEquals("DEVICE_RESTRICTED_AUTOMATICALLY", response.category());
        assertEquals("HIGH", response.risk());
        assertEquals(installation.devices.get(environment.id(), alice.deviceId()).handle(), response.subjectHandle());
        List<AuditRecord> restrictions = installation.audit.list(environment.id(), new PageRequest(null, 500)).items()
                .stream().filter(record -> record.entry().action().equals(DefensiveResponses.RESTRICT_ACTION))
                .toList();
        assertEquals(1, restrictions.size());
        assertEquals("system", restrictions.get(0).entry().actor());
        assertEquals(alice.deviceId(), restrictions.get(0).entry().target());
        assertEquals("SESSION_SIGNATURE_FORGED", restrictions.get(0).entry().category());
        long closed = installation.database.read(handle -> handle.createQuery(
                "SELECT COUNT(*) FROM session WHERE id = :id AND closed_at IS NOT NULL").bind("id", session)
                .mapTo(Long.class).one());
        assertEquals(1, closed, "the device's sessions end with the restriction");
    }

    @Test
    void failuresOutsideTheWindowDoNotAddUp() {
        defendAfter(FAILURES, Duration.ofMinutes(1));
        forge(FAILURES - 1);
        installation.clock.advance(Duration.ofSeconds(61));
        forge(FAILURES - 1);
        assertEquals(DeviceTrust.TRUSTED, trust());
    }

    @Test
    void offByDefaultTheDeviceStaysTrustedAndTheAnomalyIsRecordedOnceAtTheThreshold() {
        assertEquals(DefensiveResponse.OFF, installation.environments.get(environment.id()).defensiveResponse());
        forge(3 * Installation.REPEATED_FAILURES);
        assertEquals(DeviceTrust.TRUSTED, trust());
        List<SecurityEvent> anomalies = events(SecurityEventCategory.REPEATED_FAILURES);
        assertEquals(1, anomalies.size(), "once, when the threshold is crossed");
        assertEquals("ACCESS_ANOMALY", SecurityEventCategory.valueOf(anomalies.get(0).category()).group().name());
        assertEquals(List.of(), events(SecurityEventCategory.DEVICE_RESTRICTED_AUTOMATICALLY));
    }

    @Test
    void oneFailureShortOfTheAnomalyThresholdIsNoAnomaly() {
        forge(Installation.REPEATED_FAILURES - 1);
        assertEquals(List.of(), events(SecurityEventCategory.REPEATED_FAILURES));
    }
}
