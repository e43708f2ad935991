package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.AccessDeniedException;
import io.enigm.server.common.AuthenticationFailedException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.Environment;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.membership.JoinRequest;
import io.enigm.server.membership.JoinSubmission;
import io.enigm.server.membership.MemberChanges;
import io.enigm.server.membership.MemberState;
import io.enigm.server.membership.SessionGrant;
import io.enigm.server.membership.SessionPrincipal;
import io.enigm.server.membership.SessionProof;
import io.enigm.server.membership.internal.Installation.DeviceKey;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventGroup;

/** The device-signed session flow on the real store, with real Ed25519 keys. */
class SignedSessionsTest {

    private static final Map<String, Map<String, Object>> EVIDENCE = Map.of("os-posture", Map.of("statement", "x"));

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;
    private DeviceKey key;
    private JoinRequest alice;

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
        key = DeviceKey.generate();
        alice = join(environment, "alice@enigm", key);
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private JoinRequest join(Environment place, String account, DeviceKey deviceKey) {
        String id = installation.joinRequests.submit(new JoinSubmission(place.serverId(), account,
                deviceKey.publicKey(), null, null)).join().id();
        JoinRequest approved = installation.approve(place.id(), id);
        if (installation.devices.get(place.id(), approved.deviceId()).trust() == DeviceTrust.PENDING) {
            installation.devices.setTrust(place.id(), approved.deviceId(), DeviceTrust.TRUSTED);
        }
        return approved;
    }

    private String nonce(Environment place, String deviceId) {
        return installation.sessions.challenge(place.id(), deviceId).nonce();
    }

    private static SessionProof proof(String environmentId, String deviceId, DeviceKey signer, String nonce) {
        return new SessionProof(deviceId, nonce,
                signer.sign("enigm-session-v1\n" + environmentId + "\n" + deviceId + "\n" + nonce), EVIDENCE);
    }

    /** A renewal's proof: signed over the session it renews, a message opening never signs. */
    private static SessionProof renewal(String environmentId, String deviceId, DeviceKey signer, String sessionId,
            String nonce) {
        return new SessionProof(deviceId, nonce, signer.sign("enigm-session-renew-v1\n" + environmentId + "\n"
                + deviceId + "\n" + sessionId + "\n" + nonce), EVIDENCE);
    }

    private SessionGrant open() {
        return installation.signedSessions.open(environment.id(),
                proof(environment.id(), alice.deviceId(), key, nonce(environment, alice.deviceId())));
    }

    private long unknownNonceEvents() {
        return events().stream().filter("SESSION_NONCE_UNKNOWN"::equals).count();
    }

    /** The session flow's events, without the device lifecycle of each test's own set-up. */
    private List<String> events() {
        return installation.database.read(handle -> handle.createQuery("SELECT category FROM security_event"
                + " ORDER BY created_at, id").mapTo(String.class).list()).stream()
                .filter(category -> SecurityEventCategory.valueOf(category).group() != SecurityEventGroup.DEVICE_LIFECYCLE)
                .toList();
    }

    private void assertRefused(Class<? extends RuntimeException> type, SessionProof proof, String event) {
        installation.database.inTransaction(handle -> handle.execute("DELETE FROM security_event"));
        long sessions = installation.count("session");
        assertThrows(type, () -> installation.signedSessions.open(environment.id(), proof));
        assertEquals(sessions, installation.count("session"));
        assertEquals(List.of(event), events());
    }

    @Test
    void aSignedNonceOpensASessionWhoseTokenIsStoredOnlyAsItsHash() {
        installation.policy.next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(DecisionCategory.GRACE_PERIOD,
                DecisionCategory.OS_POSTURE), 7);
        SessionGrant grant = open();

        assertEquals(43, grant.token().length(), "256 random bits");
        assertEquals(installation.clock.instant().plus(Duration.ofMinutes(15)), grant.expiresAt());
        assertEquals(List.of("OS_POSTURE", "GRACE_PERIOD").stream().sorted(
                (a, b) -> DecisionCategory.valueOf(a).compareTo(DecisionCategory.valueOf(b))).toList(), grant.warnings());
        assertEquals(7, grant.policyVersion());
        Map<String, Object> row = installation.database.read(handle -> handle.createQuery("SELECT * FROM session")
                .mapToMap().one());
        assertEquals(SignedSessions.hash(grant.token()), row.get("token_hash"));
        assertFalse(row.values().stream().anyMatch(value -> String.valueOf(value).contains(grant.token())),
                "the token itself is stored nowhere");
        assertEquals(7, ((Number) row.get("policy_version")).intValue());
        assertEquals("OS_POSTURE,GRACE_PERIOD", row.get("decision_warnings"));
        assertEquals(1, installation.nonces.spent(), "the nonce is used up");

        AccessRequest asked = installation.policy.asked.get(0);
        assertEquals(AccessAction.OPEN_SESSION, asked.action());
        assertEquals(alice.memberId(), asked.memberId());
        assertEquals(alice.deviceId(), asked.deviceId());
        assertTrue(asked.memberActive() && asked.deviceTrusted());
        assertEquals("MEMBER", asked.memberRole());
        assertEquals(EVIDENCE, asked.evidence());

        SessionPrincipal principal = installation.signedSessions.authenticate(grant.token()).orElseThrow();
        assertEquals(new SessionPrincipal(environment.id(), alice.memberId(), alice.deviceId(), grant.sessionId(),
                grant.expiresAt()), principal);
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(SignedSessions.hash(grant.token())),
                "the stored hash is no token");
        assertEquals(List.of(), events());
    }

    @Test
    void anAllowThatReportOnlyRulesWouldHaveDeniedIsAPolicyViolationAndAGracePeriodIsNot() {
        installation.policy.next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(DecisionCategory.OS_POSTURE), 3);
        SessionGrant grant = open();
        assertEquals(List.of("REPORT_ONLY_WOULD_DENY"), events(), "opened, with what report-only rules would deny");
        installation.signedSessions.renew(environment.id(), grant.sessionId(), grant.token(), renewal(environment.id(),
                alice.deviceId(), key, grant.sessionId(), nonce(environment, alice.deviceId())));
        assertEquals(List.of("REPORT_ONLY_WOULD_DENY", "REPORT_ONLY_WOULD_DENY"), events(), "and renewed");
        installation.policy.next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(DecisionCategory.GRACE_PERIOD,
                DecisionCategory.OS_POSTURE), 3);
        open();
        assertEquals(2, events().size(), "a grace period is no violation");
    }

    @Test
    void aFloodOfRefusalsIsCountedWithoutAWriteEach() {
        int flood = 1000;
        for (int i = 0; i < flood; i++) {
            String unknown = "nonce-that-was-never-issued-" + i;
            assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.open(environment.id(),
                    proof(environment.id(), alice.deviceId(), key, unknown)));
        }
        int perSecond = Installation.REFUSAL_EVENTS_PER_SECOND;
        assertEquals(perSecond, unknownNonceEvents(), "written one by one up to the rate, the rest held back");
        assertEquals(flood - perSecond, installation.signedSessions.flushRefusals());
        assertEquals(perSecond + 1, unknownNonceEvents());
        assertEquals(1, events().stream().filter("REPEATED_FAILURES"::equals).count(),
                "the device's repeated failures, once");
        assertEquals(flood, (long) installation.database.read(handle -> handle.createQuery(
                "SELECT SUM(occurrences) FROM security_event WHERE category = 'SESSION_NONCE_UNKNOWN'")
                .mapTo(Long.class).one()), "every refusal is counted");
        assertEquals(0, installation.signedSessions.flushRefusals(), "nothing held back twice");

        installation.clock.advance(Duration.ofSeconds(1));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.open(environment.id(),
                proof(environment.id(), alice.deviceId(), key, "a-later-unknown-nonce")));
        assertEquals(perSecond + 2, unknownNonceEvents(), "a second later, refusals are written one by one again");
    }

    @Test
    void aForgedSignatureIsRefusedCountedAndLeavesTheNonce() {
        String nonce = nonce(environment, alice.deviceId());
        assertRefused(AuthenticationFailedException.class,
                proof(environment.id(), alice.deviceId(), DeviceKey.generate(), nonce), "SESSION_SIGNATURE_FORGED");
        assertEquals(0, installation.nonces.spent(), "a forger cannot use up the device's nonce");
        // the device itself still gets its session with the same nonce
        installation.signedSessions.open(environment.id(), proof(environment.id(), alice.deviceId(), key, nonce));
    }

    @Test
    void aSignatureByAnotherEnrolledDevicesKeyIsRefused() {
        DeviceKey bobKey = DeviceKey.generate();
        join(environment, "bob@enigm", bobKey);
        assertRefused(AuthenticationFailedException.class,
                proof(environment.id(), alice.deviceId(), bobKey, nonce(environment, alice.deviceId())),
                "SESSION_SIGNATURE_FORGED");
    }

    @Test
    void aSignatureOverAnotherMessageIsRefused() {
        String nonce = nonce(environment, alice.deviceId());
        SessionProof otherContext = new SessionProof(alice.deviceId(), nonce,
                key.sign("enigm-device-add-v1\n" + environment.id() + "\n" + alice.deviceId() + "\n" + nonce), Map.of());
        assertRefused(AuthenticationFailedException.class, otherContext, "SESSION_SIGNATURE_FORGED");
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.open(environment.id(),
                new SessionProof(alice.deviceId(), nonce, "not base64!", Map.of())));
    }

    @Test
    void aReplayedNonceIsRefusedAndCounted() {
        String nonce = nonce(environment, alice.deviceId());
        SessionProof proof = proof(environment.id(), alice.deviceId(), key, nonce);
        installation.signedSessions.open(environment.id(), proof);
        assertRefused(AuthenticationFailedException.class, proof, "SESSION_NONCE_UNKNOWN");
    }

    @Test
    void racingRequestsWithOneNonceOpenOneSession() throws Exception {
        SessionProof proof = proof(environment.id(), alice.deviceId(), key, nonce(environment, alice.deviceId()));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<SessionGrant>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit((Callable<SessionGrant>) () -> installation.signedSessions
                        .open(environment.id(), proof)));
            }
            int opened = 0;
            for (Future<SessionGrant> result : results) {
                try {
                    result.get();
                    opened++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertTrue(e.getCause() instanceof AuthenticationFailedException, e.getCause().toString());
                }
            }
            assertEquals(1, opened);
            assertEquals(1, installation.count("session"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNonceIssuedForAnotherDeviceIsRefused() {
        DeviceKey bobKey = DeviceKey.generate();
        JoinRequest bob = join(environment, "bob@enigm", bobKey);
        String bobsNonce = nonce(environment, bob.deviceId());
        assertRefused(AuthenticationFailedException.class, proof(environment.id(), alice.deviceId(), key, bobsNonce),
                "SESSION_NONCE_MISMATCH");
    }

    @Test
    void aNonceIssuedInAnotherEnvironmentIsRefused() {
        Environment other = installation.environment("Head office");
        JoinRequest there = join(other, "alice@enigm", key);
        String nonceThere = nonce(other, there.deviceId());
        assertRefused(AuthenticationFailedException.class, proof(environment.id(), alice.deviceId(), key, nonceThere),
                "SESSION_NONCE_MISMATCH");
        assertRefused(AuthenticationFailedException.class, proof(environment.id(), there.deviceId(), key, nonceThere),
                "SESSION_NONCE_MISMATCH");
    }

    /** Where a security event was raised: category by environment, the session flow's only. */
    private List<String> eventsIn(Environment place) {
        return installation.database.read(handle -> handle.createQuery("SELECT category FROM security_event"
                + " WHERE environment_id = :env ORDER BY created_at, id").bind("env", place.id()).mapTo(String.class)
                .list()).stream()
                .filter(category -> SecurityEventCategory.valueOf(category).group() != SecurityEventGroup.DEVICE_LIFECYCLE)
                .toList();
    }

    @Test
    void aLiveTokenPresentedToAnotherEnvironmentIsRefusedAndRaisedWhereItBelongs() {
        Environment other = installation.environment("Head office");
        SessionGrant grant = open();
        String token = grant.token();

        assertThrows(AuthenticationFailedException.class,
                () -> installation.signedSessions.authenticate(token, other.id()));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.authorize(token,
                other.id(), AccessAction.READ_CONTENT, "messages"));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(other.id(),
                grant.sessionId(), token, renewal(other.id(), alice.deviceId(), key, grant.sessionId(),
                        nonce(environment, alice.deviceId()))));
        List<String> raised = eventsIn(environment).stream().filter("TOKEN_OUTSIDE_SCOPE"::equals).toList();
        assertEquals(3, raised.size(), "raised where the token belongs: " + eventsIn(environment));
        assertFalse(eventsIn(other).contains("TOKEN_OUTSIDE_SCOPE"), eventsIn(other).toString());
        assertEquals(alice.deviceId(), installation.signedSessions.authenticate(token, environment.id()).deviceId());

        // a made-up token, or one refused by its own environment, raises nothing of the kind
        assertThrows(AuthenticationFailedException.class,
                () -> installation.signedSessions.authenticate("x".repeat(token.length()), other.id()));
        installation.sessions.close(environment.id(), grant.sessionId());
        assertThrows(AuthenticationFailedException.class,
                () -> installation.signedSessions.authenticate(token, other.id()));
        assertEquals(3, eventsIn(environment).stream().filter("TOKEN_OUTSIDE_SCOPE"::equals).count());
    }

    @Test
    void anExpiredNonceIsRefused() {
        String nonce = nonce(environment, alice.deviceId());
        installation.clock.advance(Duration.ofSeconds(60));
        assertRefused(AuthenticationFailedException.class, proof(environment.id(), alice.deviceId(), key, nonce),
                "SESSION_NONCE_EXPIRED");
    }

    @Test
    void aDeviceThatIsNotTrustedIsRefusedWithItsCategory() {
        for (DeviceTrust trust : List.of(DeviceTrust.RESTRICTED, DeviceTrust.REVOKED)) {
            installation.database.inTransaction(handle -> handle.execute("DELETE FROM security_event"));
            String nonce = nonce(environment, alice.deviceId());
            installation.devices.setTrust(environment.id(), alice.deviceId(), trust);
            AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> installation.signedSessions
                    .open(environment.id(), proof(environment.id(), alice.deviceId(), key, nonce)));
            assertFalse(denied.stepUp());
            assertEquals(List.of("DEVICE_TRUST"), denied.categories());
            assertEquals(List.of("SESSION_DEVICE_REFUSED"), events());
            assertEquals(0, installation.count("session"));
            assertNull(installation.nonces.find(nonce), "a proven request uses its nonce up");
            if (trust == DeviceTrust.RESTRICTED) {
                installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.TRUSTED);
            }
        }
        assertTrue(installation.policy.asked.isEmpty(), "no policy decision for a device refused by its state");
    }

    @Test
    void aDeviceOfASuspendedMemberIsRefused() {
        String nonce = nonce(environment, alice.deviceId());
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.SUSPENDED));
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> installation.signedSessions
                .open(environment.id(), proof(environment.id(), alice.deviceId(), key, nonce)));
        assertEquals(List.of("ACCOUNT_ELIGIBILITY"), denied.categories());
        assertEquals(List.of("SESSION_MEMBER_REFUSED"), events());
    }

    @Test
    void aPolicyDenialOrStepUpGivesCategoriesOnlyAndNoSession() {
        installation.policy.next = new Decision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE,
                DecisionCategory.ATTESTATION_UNAVAILABLE), Set.of(), 3);
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, this::open);
        assertFalse(denied.stepUp());
        assertEquals(List.of("OS_POSTURE", "ATTESTATION_UNAVAILABLE"), denied.categories());

        installation.policy.next = new Decision(DecisionOutcome.STEP_UP, Set.of(DecisionCategory.HARDWARE_KEY),
                Set.of(), 3);
        AccessDeniedException stepUp = assertThrows(AccessDeniedException.class, this::open);
        assertTrue(stepUp.stepUp());
        assertEquals(List.of("HARDWARE_KEY"), stepUp.categories());

        assertEquals(0, installation.count("session"));
        assertEquals(2, installation.nonces.spent(), "each decided nonce is used up");
        assertEquals(List.of("SESSION_POLICY_DENIED", "SESSION_POLICY_DENIED"), events());
    }

    @Test
    void aContentActionIsDecidedForTheSessionsDeviceWithItsSurfaceAndLastProof() {
        SessionGrant grant = open();
        installation.policy.asked.clear();
        SessionPrincipal principal = installation.signedSessions.authorize(grant.token(), environment.id(),
                AccessAction.UPLOAD_CONTENT, "media");
        assertEquals(alice.deviceId(), principal.deviceId());
        assertEquals(alice.memberId(), principal.memberId());
        AccessRequest asked = installation.policy.asked.get(0);
        assertEquals(AccessAction.UPLOAD_CONTENT, asked.action());
        assertEquals("media", asked.resourceCategory());
        assertEquals(installation.clock.instant(), asked.sessionAuthenticatedAt());
        assertTrue(asked.deviceTrusted() && asked.memberActive());
    }

    @Test
    void aContentDenialGivesCategoriesAndIsAuditedAndCounted() {
        SessionGrant grant = open();
        long records = installation.count("audit_record");
        installation.policy.next = new Decision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE), Set.of(), 4);
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> installation.signedSessions
                .authorize(grant.token(), environment.id(), AccessAction.UPLOAD_CONTENT, "media"));
        assertFalse(denied.stepUp());
        assertEquals(List.of("OS_POSTURE"), denied.categories());
        assertEquals(List.of("CONTENT_POLICY_DENIED"), events());
        assertEquals(List.of("content.upload DENIED OS_POSTURE " + alice.deviceId()), lastAudit(records));

        installation.policy.next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(DecisionCategory.OS_POSTURE), 4);
        long before = installation.count("audit_record");
        installation.signedSessions.authorize(grant.token(), environment.id(), AccessAction.READ_CONTENT, "media");
        assertEquals(List.of("content.read ALLOWED OS_POSTURE " + alice.deviceId()), lastAudit(before),
                "a report-only rule's finding is recorded");
    }

    @Test
    void contentAccessEndsOnTheNextRequestOnceTheDeviceOrMemberNoLongerStands() {
        SessionGrant grant = open();
        installation.signedSessions.authorize(grant.token(), environment.id(), AccessAction.READ_CONTENT, "messages");
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.authorize(grant.token(),
                "another-environment", AccessAction.READ_CONTENT, "messages"));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.authorize("x".repeat(43),
                environment.id(), AccessAction.READ_CONTENT, "messages"));
        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.RESTRICTED);
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.authorize(grant.token(),
                environment.id(), AccessAction.READ_CONTENT, "messages"));
        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.TRUSTED);
        SessionGrant again = open();
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.SUSPENDED));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.authorize(again.token(),
                environment.id(), AccessAction.UPLOAD_CONTENT, "messages"));
    }

    /** The audit records after the first {@code after}, in order. */
    private List<String> lastAudit(long after) {
        return installation.database.read(handle -> handle.createQuery("SELECT action || ' ' || outcome || ' ' ||"
                + " category || ' ' || actor FROM audit_record ORDER BY sequence")
                .mapTo(String.class).stream().skip(after).toList());
    }

    @Test
    void aFailingPolicyEngineFailsClosed() {
        installation.policy.next = null;
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, this::open);
        assertEquals(List.of("ATTESTATION_UNAVAILABLE"), denied.categories());
        assertEquals(0, installation.count("session"));
    }

    @Test
    void renewalIsANewDecisionUnderTheCurrentPolicyAndReplacesTheToken() {
        SessionGrant first = open();
        installation.clock.advance(Duration.ofMinutes(10));
        installation.policy.next = new Decision(DecisionOutcome.ALLOW, Set.of(), Set.of(), 2);
        SessionGrant renewed = installation.signedSessions.renew(environment.id(), first.sessionId(), first.token(),
                renewal(environment.id(), alice.deviceId(), key, first.sessionId(), nonce(environment, alice.deviceId())));

        assertEquals(first.sessionId(), renewed.sessionId());
        assertNotEquals(first.token(), renewed.token());
        assertEquals(2, renewed.policyVersion());
        assertEquals(installation.clock.instant().plus(Duration.ofMinutes(15)), renewed.expiresAt());
        assertEquals(AccessAction.RENEW_SESSION, installation.policy.asked.get(1).action());
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(first.token()), "the old token stops");
        assertEquals(first.sessionId(), installation.signedSessions.authenticate(renewed.token()).orElseThrow()
                .sessionId());

        // the old token cannot renew, even with a valid nonce
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(environment.id(),
                first.sessionId(), first.token(),
                renewal(environment.id(), alice.deviceId(), key, first.sessionId(), nonce(environment, alice.deviceId()))));

        installation.policy.next = new Decision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE), Set.of(), 3);
        AccessDeniedException denied = assertThrows(AccessDeniedException.class, () -> installation.signedSessions
                .renew(environment.id(), renewed.sessionId(), renewed.token(), renewal(environment.id(),
                        alice.deviceId(), key, renewed.sessionId(), nonce(environment, alice.deviceId()))));
        assertEquals(List.of("OS_POSTURE"), denied.categories());
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(renewed.token()));
        assertNotNullClosed(renewed.sessionId());
    }

    private void assertNotNullClosed(String sessionId) {
        Object closed = installation.database.read(handle -> handle.createQuery("SELECT closed_at FROM session"
                + " WHERE id = :id").bind("id", sessionId).mapTo(Long.class).one());
        assertTrue(closed != null, "a denied renewal closes the session");
    }

    @Test
    void renewalNeedsTheSessionsOwnTokenAndDevice() {
        SessionGrant grant = open();
        DeviceKey bobKey = DeviceKey.generate();
        JoinRequest bob = join(environment, "bob@enigm", bobKey);
        String bobsNonce = nonce(environment, bob.deviceId());
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(environment.id(),
                grant.sessionId(), grant.token(), renewal(environment.id(), bob.deviceId(), bobKey, grant.sessionId(),
                        bobsNonce)));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(environment.id(),
                grant.sessionId(), "x".repeat(43), renewal(environment.id(), alice.deviceId(), key, grant.sessionId(),
                        nonce(environment, alice.deviceId()))));
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(environment.id(),
                grant.sessionId(), null, renewal(environment.id(), alice.deviceId(), key, grant.sessionId(),
                        nonce(environment, alice.deviceId()))));
        assertEquals(List.of("SESSION_TOKEN_REFUSED", "SESSION_TOKEN_REFUSED", "SESSION_TOKEN_REFUSED"), events());
        assertTrue(installation.signedSessions.authenticate(grant.token()).isPresent());
    }

    @Test
    void aRenewalSignsTheSessionItRenewsAndAnOpeningSignatureRenewsNothing() {
        SessionGrant grant = open();
        SessionGrant other = open();
        String nonce = nonce(environment, alice.deviceId());
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(environment.id(),
                grant.sessionId(), grant.token(), proof(environment.id(), alice.deviceId(), key, nonce)),
                "the message that opens a session");
        String next = nonce(environment, alice.deviceId());
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.renew(environment.id(),
                grant.sessionId(), grant.token(), renewal(environment.id(), alice.deviceId(), key, other.sessionId(),
                        next)), "a renewal signed for another session");
        assertEquals(List.of("SESSION_SIGNATURE_FORGED", "SESSION_SIGNATURE_FORGED"), events());
        assertTrue(installation.signedSessions.renew(environment.id(), grant.sessionId(), grant.token(),
                renewal(environment.id(), alice.deviceId(), key, grant.sessionId(), nonce(environment,
                        alice.deviceId()))).token() != null);
    }

    @Test
    void theDecisionIsAskedWithTheNonceTheDeviceProvedWith() {
        String nonce = nonce(environment, alice.deviceId());
        installation.signedSessions.open(environment.id(), proof(environment.id(), alice.deviceId(), key, nonce));
        assertEquals(nonce, installation.policy.asked.get(0).challenge());
    }

    @Test
    void closingEveryOpenSessionOfADevice() {
        SessionGrant first = open();
        SessionGrant second = open();
        assertEquals(2, installation.sessions.closeAllOfDevice(environment.id(), alice.deviceId()));
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(first.token()));
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(second.token()));
        assertEquals(0, installation.sessions.closeAllOfDevice(environment.id(), alice.deviceId()));
    }

    @Test
    void closingADevicesSessionsNamesItsOwnEnvironment() {
        SessionGrant grant = open();
        Environment other = installation.environment("Head office");
        assertEquals(0, installation.sessions.closeAllOfDevice(other.id(), alice.deviceId()));
        assertTrue(installation.signedSessions.authenticate(grant.token()).isPresent());
    }

    @Test
    void revocationTakesEffectOnTheNextRequest() {
        SessionGrant grant = open();
        assertTrue(installation.signedSessions.authenticate(grant.token()).isPresent());

        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.RESTRICTED);
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(grant.token()));
        installation.devices.setTrust(environment.id(), alice.deviceId(), DeviceTrust.TRUSTED);
        assertTrue(installation.signedSessions.authenticate(grant.token()).isPresent());

        installation.sessions.close(environment.id(), grant.sessionId());
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(grant.token()));

        SessionGrant second = open();
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.SUSPENDED));
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(second.token()));
        installation.members.update(environment.id(), alice.memberId(), new MemberChanges(null, MemberState.ACTIVE));
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(second.token()),
                "suspension closed the session for good");

        SessionGrant third = open();
        installation.devices.remove(environment.id(), alice.deviceId());
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(third.token()));
    }

    @Test
    void aSessionEndsWithItsLifetime() {
        SessionGrant grant = open();
        installation.clock.advance(Duration.ofMinutes(15).minusMillis(1));
        assertTrue(installation.signedSessions.authenticate(grant.token()).isPresent());
        installation.clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), installation.signedSessions.authenticate(grant.token()));
    }

    @Test
    void badInputIsRefusedAndChangesNothing() {
        String nonce = nonce(environment, alice.deviceId());
        Map<String, Long> before = installation.counts();
        for (SessionProof bad : List.of(new SessionProof(null, nonce, "c2ln", Map.of()),
                new SessionProof(alice.deviceId(), null, "c2ln", Map.of()),
                new SessionProof(alice.deviceId(), nonce, null, Map.of()),
                new SessionProof(alice.deviceId(), nonce, "a".repeat(200), Map.of()))) {
            assertThrows(InvalidRequestException.class, () -> installation.signedSessions.open(environment.id(), bad));
        }
        assertEquals(before, installation.counts());
        assertNull(installation.signedSessions.authenticate(null).orElse(null));
    }

    @Test
    void nothingSecretIsKeptInSecurityEvents() {
        String nonce = nonce(environment, alice.deviceId());
        SessionProof forged = proof(environment.id(), alice.deviceId(), DeviceKey.generate(), nonce);
        assertThrows(AuthenticationFailedException.class, () -> installation.signedSessions.open(environment.id(),
                forged));
        Map<String, Object> event = installation.database.read(handle -> handle.createQuery(
                "SELECT * FROM security_event WHERE category = 'SESSION_SIGNATURE_FORGED'").mapToMap().one());
        assertEquals("HIGH", event.get("risk"));
        assertEquals(installation.devices.get(environment.id(), alice.deviceId()).handle(), event.get("subject_handle"));
        assertFalse(event.values().stream().map(String::valueOf).anyMatch(value -> value.contains(nonce)
                || value.contains(forged.signature()) || value.contains(alice.deviceId())));
    }
}
