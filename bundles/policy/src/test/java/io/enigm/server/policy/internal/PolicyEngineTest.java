package io.enigm.server.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.common.ConflictException;
import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.common.Page;
import io.enigm.server.common.PageRequest;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.LifecycleAction;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;
import io.enigm.server.policy.PolicyVersion;
import io.enigm.server.policy.Simulation;

class PolicyEngineTest {

    private static final String ALL_PROVIDERS = "{\"rules\":[{\"id\":\"sessions\",\"roles\":[\"MEMBER\"],"
            + "\"actions\":[\"OPEN_SESSION\",\"RENEW_SESSION\"],\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\","
            + "\"MANAGED_DEVICE_COMPLIANT\",\"OS_POSTURE_ACCEPTABLE\",\"HARDWARE_KEY_VERIFIED\",\"ESIM_BOUND\"]}]}";

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private AccessRequest request(AccessAction action) {
        return request("MEMBER", true, true, false, action, null, installation.clock.instant());
    }

    private AccessRequest request(String role, boolean memberActive, boolean deviceTrusted, boolean openFinding,
            AccessAction action, String resource, Instant provedAt) {
        return new AccessRequest(environment.id(), "member-1", "device-1", new byte[] {1, 2, 3}, role, memberActive,
                deviceTrusted, openFinding, action, resource, provedAt, Map.of());
    }

    private PolicyVersion put(String document) {
        return installation.policies.put(environment.id(), document, "token-policy-admin");
    }

    private static void assertDecision(DecisionOutcome outcome, Set<DecisionCategory> categories, Decision decision) {
        assertEquals(outcome, decision.outcome(), decision.toString());
        assertEquals(categories, decision.categories(), decision.toString());
    }

    @Test
    void aFreshEnvironmentRunsOnTheBuiltInPolicy() {
        PolicyVersion current = installation.policies.current(environment.id());
        assertEquals(0, current.version());
        assertEquals(PersistentPolicies.BUILT_IN_AUTHOR, current.author());
        Decision allowed = installation.engine.decide(request(AccessAction.UPLOAD_CONTENT));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), allowed);
        assertEquals(0, allowed.policyVersion());
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.ACCOUNT_ELIGIBILITY), installation.engine.decide(
                request("MEMBER", false, true, false, AccessAction.OPEN_SESSION, null, null)));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.DEVICE_TRUST), installation.engine.decide(
                request("MEMBER", true, false, false, AccessAction.OPEN_SESSION, null, null)));
        assertTrue(installation.registry.asked.isEmpty(), "the built-in policy needs no provider");
    }

    @Test
    void aPolicyChangeDeniesARenewalTheOldVersionAllowed() {
        assertEquals(1, put("{\"rules\":[{\"id\":\"renew\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\"]}]}").version());
        installation.registry.answer(SignalCategory.HARDWARE_KEY, SignalResult.FAIL);
        Decision before = installation.engine.decide(request(AccessAction.RENEW_SESSION));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), before);
        assertEquals(1, before.policyVersion());

        assertEquals(2, put("{\"rules\":[{\"id\":\"renew-with-key\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\",\"HARDWARE_KEY_VERIFIED\"]}]}").version());
        Decision after = installation.engine.decide(request(AccessAction.RENEW_SESSION));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.HARDWARE_KEY), after);
        assertEquals(2, after.policyVersion());
    }

    @Test
    void everyDecisionAfterAPutUsesItWhileOthersDecideConcurrently() throws Exception {
        put(ALL_PROVIDERS);
        installation.registry.answerAll(SignalResult.PASS);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong(1);
        List<String> violations = Collections.synchronizedList(new ArrayList<>());
        List<Thread> deciders = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            Thread decider = new Thread(() -> {
                while (running.get()) {
                    long floor = published.get();
                    long version = installation.engine.decide(request(AccessAction.READ_CONTENT)).policyVersion();
                    if (version < floor) {
                        violations.add("decided under " + version + " after version " + floor + " was put");
                    }
                }
            });
            decider.start();
            deciders.add(decider);
        }
        for (int i = 2; i <= 20; i++) {
            assertEquals(i, put(ALL_PROVIDERS.replace("\"sessions\"", "\"sessions-" + i + "\"")).version());
            published.set(i);
        }
        running.set(false);
        for (Thread decider : deciders) {
            decider.join(10_000);
        }
        assertEquals(List.of(), violations);
        assertEquals(20, installation.policies.compilations(), "each of the 20 versions compiled once");
    }

    @Test
    void eachVersionIsCompiledOnce() {
        put(ALL_PROVIDERS);
        assertEquals(1, installation.policies.compilations());
        installation.registry.answerAll(SignalResult.PASS);
        for (int i = 0; i < 100; i++) {
            installation.engine.decide(request(AccessAction.OPEN_SESSION));
        }
        assertEquals(1, installation.policies.compilations());
        assertSame(installation.policies.inForce(environment.id()), installation.policies.inForce(environment.id()));

        PersistentPolicies restarted = installation.restartedPolicies();
        assertEquals(1, restarted.inForce(environment.id()).version);
        restarted.inForce(environment.id());
        assertEquals(1, restarted.compilations(), "after a start, the version in force is compiled on first use");
    }

    @Test
    void everyRequirementDecidesWithItsCategory() {
        put("{\"rules\":[{\"id\":\"everything\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":["
                + "\"MEMBER_ACTIVE\",\"DEVICE_TRUSTED\",\"SESSION_FRESH\",\"MANAGED_DEVICE_COMPLIANT\","
                + "\"OS_POSTURE_ACCEPTABLE\",\"HARDWARE_KEY_VERIFIED\",\"ESIM_BOUND\"]}]}");
        installation.registry.answerAll(SignalResult.PASS);
        Instant now = installation.clock.instant();
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.READ_CONTENT)));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.ACCOUNT_ELIGIBILITY), installation.engine
                .decide(request("MEMBER", false, true, false, AccessAction.READ_CONTENT, null, now)));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.DEVICE_TRUST), installation.engine
                .decide(request("MEMBER", true, false, false, AccessAction.READ_CONTENT, null, now)));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.SESSION_FRESHNESS), installation.engine
                .decide(request("MEMBER", true, true, false, AccessAction.READ_CONTENT, null,
                        now.minus(Duration.ofMinutes(16)))));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.SESSION_FRESHNESS), installation.engine
                .decide(request("MEMBER", true, true, false, AccessAction.READ_CONTENT, null, null)));
        Map<SignalCategory, DecisionCategory> categories = Map.of(
                SignalCategory.MANAGED_DEVICE, DecisionCategory.MANAGED_DEVICE,
                SignalCategory.OS_POSTURE, DecisionCategory.OS_POSTURE,
                SignalCategory.HARDWARE_KEY, DecisionCategory.HARDWARE_KEY,
                SignalCategory.ESIM_BINDING, DecisionCategory.ESIM_BINDING);
        for (Map.Entry<SignalCategory, DecisionCategory> category : categories.entrySet()) {
            for (SignalResult result : List.of(SignalResult.FAIL, SignalResult.UNKNOWN)) {
                installation.registry.answerAll(SignalResult.PASS);
                installation.registry.answer(category.getKey(), result);
                assertDecision(DecisionOutcome.DENY, Set.of(category.getValue()),
                        installation.engine.decide(request(AccessAction.READ_CONTENT)));
            }
        }
    }

    @Test
    void aMissingProviderFailsClosed() {
        put(ALL_PROVIDERS);
        installation.registry.answerAll(SignalResult.PASS);
        installation.registry.remove(SignalCategory.ESIM_BINDING);
        Decision denied = installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.ATTESTATION_UNAVAILABLE), denied);
        assertEquals(1L, installation.engine.counts().get("ATTESTATION_UNAVAILABLE"));
        // Even a rule that would only step up cannot: with the provider gone there is nothing to prove.
        put(ALL_PROVIDERS.replace("\"id\"", "\"onMissing\":\"STEP_UP\",\"id\""));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.ATTESTATION_UNAVAILABLE),
                installation.engine.decide(request(AccessAction.OPEN_SESSION)));
    }

    @Test
    void onlyTheCategoriesTheApplyingRulesNeedAreAsked() {
        put("{\"rules\":[{\"id\":\"sessions\",\"roles\":[\"*\"],\"actions\":[\"OPEN_SESSION\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"]},"
                + "{\"id\":\"uploads\",\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"HARDWARE_KEY_VERIFIED\"]},"
                + "{\"id\":\"fetch\",\"roles\":[\"*\"],\"actions\":[\"READ_CONTENT\"],\"require\":[\"MEMBER_ACTIVE\"]}]}");
        installation.registry.answerAll(SignalResult.PASS);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        installation.engine.decide(request(AccessAction.UPLOAD_CONTENT));
        installation.engine.decide(request(AccessAction.READ_CONTENT));
        assertEquals(List.of(Set.of(SignalCategory.OS_POSTURE), Set.of(SignalCategory.HARDWARE_KEY)),
                installation.registry.asked);
    }

    @Test
    void aRequestNoRuleMatchesIsDenied() {
        put("{\"rules\":[{\"id\":\"admins-upload-files\",\"roles\":[\"ADMIN_MEMBER\"],\"actions\":[\"UPLOAD_CONTENT\"],"
                + "\"resources\":[\"file\"],\"require\":[\"MEMBER_ACTIVE\"]}]}");
        Instant now = installation.clock.instant();
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(
                request("ADMIN_MEMBER", true, true, false, AccessAction.UPLOAD_CONTENT, "file", now)));
        for (AccessRequest other : List.of(
                request("MEMBER", true, true, false, AccessAction.UPLOAD_CONTENT, "file", now),
                request("ADMIN_MEMBER", true, true, false, AccessAction.READ_CONTENT, "file", now),
                request("ADMIN_MEMBER", true, true, false, AccessAction.UPLOAD_CONTENT, "message", now),
                request("ADMIN_MEMBER", true, true, false, AccessAction.UPLOAD_CONTENT, null, now))) {
            assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.ACCOUNT_ELIGIBILITY),
                    installation.engine.decide(other));
        }
    }

    @Test
    void everyApplyingEnforceRuleMustPass() {
        put("{\"rules\":[{\"id\":\"base\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]},"
                + "{\"id\":\"uploads-need-key\",\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"HARDWARE_KEY_VERIFIED\"],\"onMissing\":\"STEP_UP\"}]}");
        installation.registry.answer(SignalCategory.HARDWARE_KEY, SignalResult.FAIL);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.READ_CONTENT)));
        assertDecision(DecisionOutcome.STEP_UP, Set.of(DecisionCategory.HARDWARE_KEY),
                installation.engine.decide(request(AccessAction.UPLOAD_CONTENT)));
        installation.registry.answer(SignalCategory.HARDWARE_KEY, SignalResult.PASS);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.UPLOAD_CONTENT)));
    }

    @Test
    void reportOnlyRulesRecordWhatTheyWouldHaveDeniedAndAllow() {
        put("{\"rules\":[{\"id\":\"base\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]},"
                + "{\"id\":\"trial-posture\",\"mode\":\"report-only\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"]}]}");
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        Decision decision = installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), decision);
        assertEquals(Set.of(DecisionCategory.OS_POSTURE), decision.warnings());

        Simulation simulation = installation.engine.simulate(request(AccessAction.OPEN_SESSION));
        assertEquals(List.of("base", "trial-posture"), simulation.matchedRules());
        assertEquals(List.of("trial-posture"), simulation.reportOnlyDenials());

        installation.registry.remove(SignalCategory.OS_POSTURE);
        Decision unavailable = installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), unavailable);
        assertEquals(Set.of(DecisionCategory.ATTESTATION_UNAVAILABLE), unavailable.warnings());

        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        Decision clean = installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertEquals(Set.of(), clean.warnings());
        assertEquals(List.of(), installation.engine.simulate(request(AccessAction.OPEN_SESSION)).reportOnlyDenials());
    }

    @Test
    void aDeviceNewlyOutOfComplianceKeepsAccessForItsGracePeriod() {
        put("{\"rules\":[{\"id\":\"posture\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":7}}]}");
        // Never met: no grace.
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.OPEN_SESSION)));

        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.OPEN_SESSION)));
        installation.clock.advance(Duration.ofDays(3));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        Decision graced = installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), graced);
        assertEquals(Set.of(DecisionCategory.GRACE_PERIOD, DecisionCategory.OS_POSTURE), graced.warnings());

        installation.clock.advance(Duration.ofDays(6).plusHours(23));
        assertEquals(Set.of(DecisionCategory.GRACE_PERIOD, DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.RENEW_SESSION)).warnings());
        installation.clock.advance(Duration.ofHours(1));
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.RENEW_SESSION)));

        // Back in compliance, the next lapse gets a new grace period, and UNKNOWN (no evidence) never does.
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        installation.engine.decide(request(AccessAction.RENEW_SESSION));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.UNKNOWN);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.RENEW_SESSION)));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.RENEW_SESSION)));
    }

    @Test
    void onlyAVerifiedLapseIsGracedNeverAFailureTheDeviceCouldHaveCaused() {
        put("{\"rules\":[{\"id\":\"posture\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":90}}]}");
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        installation.clock.advance(Duration.ofHours(2));
        // garbage, a forged or another device's statement: the provider proved nothing
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.UNKNOWN);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.RENEW_SESSION)));
        // a verified failure that is no lapse (verified boot off, integrity): no grace either
        installation.registry.answerFailureWithoutLapse(SignalCategory.OS_POSTURE);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.RENEW_SESSION)));
        assertEquals(Set.of(), installation.engine.decide(request(AccessAction.RENEW_SESSION)).warnings());
        // a validly signed statement with an outdated patch: the grace the policy grants
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        Decision graced = installation.engine.decide(request(AccessAction.RENEW_SESSION));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), graced);
        assertEquals(Set.of(DecisionCategory.GRACE_PERIOD, DecisionCategory.OS_POSTURE), graced.warnings());
    }

    @Test
    void aPassLongAgoDoesNotMakeALapseNewTheGraceRecordExpires() {
        put("{\"rules\":[{\"id\":\"posture\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":7}}]}");
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        // the device went quiet for a month; its first verified lapse since is not new
        installation.clock.advance(Duration.ofDays(30));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.OPEN_SESSION)));

        // a device that keeps passing keeps its record fresh, hour by hour
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        for (int day = 0; day < 10; day++) {
            installation.clock.advance(Duration.ofDays(1));
            installation.engine.decide(request(AccessAction.RENEW_SESSION));
        }
        installation.clock.advance(Duration.ofHours(12));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.RENEW_SESSION)));
    }

    @Test
    void providersAreHandedTheNonceOfTheAttemptBeingDecided() {
        put(ALL_PROVIDERS);
        installation.registry.answerAll(SignalResult.PASS);
        AccessRequest attempt = new AccessRequest(environment.id(), "member-1", "device-1", new byte[] {1, 2, 3},
                "MEMBER", true, true, false, AccessAction.OPEN_SESSION, null, installation.clock.instant(), Map.of(),
                "nonce-issued-by-the-server");
        installation.engine.decide(attempt);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertEquals(java.util.Arrays.asList("nonce-issued-by-the-server", null), installation.registry.challenges);
    }

    @Test
    void theGraceClockSurvivesARestart() {
        put("{\"rules\":[{\"id\":\"posture\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":2}}]}");
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        installation.clock.advance(Duration.ofDays(3));
        AttestedPolicyEngine restarted = new AttestedPolicyEngine(installation.restartedPolicies(),
                installation.registry, installation.database, new SimpleMeterRegistry(), Duration.ofMinutes(15),
                installation.clock);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                restarted.decide(request(AccessAction.OPEN_SESSION)));
    }

    @Test
    void simulationTakesAssumedSignalsAndRecordsNothing() {
        put(ALL_PROVIDERS.replace("]}]}", "]},{\"id\":\"trial-fresh\",\"mode\":\"report-only\",\"roles\":[\"*\"],"
                + "\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\",\"SESSION_FRESH\"]}]}"));
        Map<SignalCategory, SignalResult> assumed = new EnumMap<>(SignalCategory.class);
        for (SignalCategory category : SignalCategory.values()) {
            assumed.put(category, SignalResult.PASS);
        }
        AccessRequest request = request("MEMBER", true, true, false, AccessAction.OPEN_SESSION, null, null);
        Simulation allowed = installation.engine.simulate(request, assumed);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), allowed.decision());
        assertEquals(List.of("sessions", "trial-fresh"), allowed.matchedRules());
        assertEquals(List.of("trial-fresh"), allowed.reportOnlyDenials());
        assertEquals(1, allowed.decision().policyVersion());

        assumed.put(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        assumed.remove(SignalCategory.ESIM_BINDING);
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE,
                DecisionCategory.ATTESTATION_UNAVAILABLE), installation.engine.simulate(request, assumed).decision());
        assertTrue(installation.registry.asked.isEmpty(), "simulation with assumed signals asks no provider");
        assertEquals(0L, installation.engine.counts().get("ALLOW") + installation.engine.counts().get("DENY"));
        assertEquals(0, installation.count("policy_grace"));
    }

    @Test
    void anInvalidDocumentChangesNothing() {
        put(ALL_PROVIDERS);
        String before = installation.policies.current(environment.id()).document();
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> put("{\"rules\":[{\"id\":\"x\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\","
                        + "\"TELEPATHY\"]}]}"));
        assertEquals("/rules/0/require/1", refused.field());
        assertEquals(1, installation.count("policy_version"));
        assertEquals(before, installation.policies.current(environment.id()).document());
        assertEquals(1, installation.policies.inForce(environment.id()).version);
    }

    @Test
    void aVersionWhoseTransactionRollsBackNeverTakesEffect() {
        put(ALL_PROVIDERS);
        // As when the servlet's audit record fails after the put: the caller's work is rolled back
        // while the group commit it ran in still commits.
        assertThrows(IllegalStateException.class, () -> installation.database.inTransaction(handle -> {
            installation.policies.put(environment.id(), "{\"rules\":[{\"id\":\"open\",\"roles\":[\"*\"],"
                    + "\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]}]}", "token-policy-admin");
            throw new IllegalStateException("the audit record could not be written");
        }));
        assertEquals(1, installation.count("policy_version"));
        assertEquals(1, installation.engine.decide(request(AccessAction.OPEN_SESSION)).policyVersion());
    }

    @Test
    void versionsArePagedNewestFirstAndEndWithTheBuiltIn() {
        for (int i = 1; i <= 5; i++) {
            put("{\"rules\":[{\"id\":\"v" + i + "\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]}]}");
        }
        List<Long> seen = new ArrayList<>();
        String cursor = null;
        do {
            Page<PolicyVersion> page = installation.policies.versions(environment.id(), new PageRequest(cursor, 2));
            page.items().forEach(version -> seen.add(version.version()));
            cursor = page.next();
        } while (cursor != null);
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L, 0L), seen);
        Page<PolicyVersion> all = installation.policies.versions(environment.id(), PageRequest.first(50));
        assertEquals(6, all.items().size());
        assertNull(all.next());
        assertThrows(InvalidRequestException.class,
                () -> installation.policies.versions(environment.id(), new PageRequest("not-a-cursor", 2)));
    }

    @Test
    void theGraceLedgerOfAnEnvironmentIsErasedForTheEraserOfDeletedEnvironments() {
        String posture = "{\"rules\":[{\"id\":\"posture\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":2}}]}";
        put(posture);
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        Environment kept = installation.environment("Kept");
        installation.policies.put(kept.id(), posture, "token-policy-admin");
        installation.engine.decide(new AccessRequest(kept.id(), "member-2", "device-2", new byte[] {1}, "MEMBER", true,
                true, false, AccessAction.OPEN_SESSION, null, null, Map.of()));
        assertEquals(2, installation.count("policy_grace"));
        // The environment bundle's eraser calls this for deleted environments without a legal hold.
        GraceLedgerData ledger = new GraceLedgerData(installation.database);
        assertTrue(ledger.holds(environment.id()));
        ledger.erase(environment.id());
        assertFalse(ledger.holds(environment.id()));
        assertEquals(1, installation.count("policy_grace"), "other environments keep their ledger");
    }

    @Test
    void currentAnswersTheBuiltInVersionUntilOneIsPut() {
        PolicyVersion builtIn = installation.policies.current(environment.id());
        assertEquals(environment.id(), builtIn.environmentId());
        assertEquals(0, builtIn.version());
        assertEquals(PolicyDocument.BUILT_IN, builtIn.document());
        assertEquals(PersistentPolicies.BUILT_IN_AUTHOR, builtIn.author());
        assertEquals(environment.createdAt(), builtIn.createdAt(), "in force since the environment was created");
        installation.clock.advance(Duration.ofMinutes(5));
        PolicyVersion put = put(ALL_PROVIDERS);
        PolicyVersion current = installation.policies.current(environment.id());
        assertEquals(put, current);
        assertEquals(1, current.version());
        assertEquals("token-policy-admin", current.author());
        assertEquals(installation.clock.instant(), current.createdAt());
    }

    @Test
    void anExpiredProviderPassIsNotMet() {
        put("{\"rules\":[{\"id\":\"posture\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":7}}]}");
        Instant now = installation.clock.instant();
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS, now.plusMillis(1));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.OPEN_SESSION)));
        // Expiring this very millisecond, expired, or with no expiry at all: not met, and no grace either
        // (an expired pass is missing evidence, not a finding).
        for (Instant expiry : new Instant[] {now, now.minusSeconds(1), null}) {
            installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS, expiry);
            Decision denied = installation.engine.decide(request(AccessAction.OPEN_SESSION));
            assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE), denied);
            assertEquals(Set.of(), denied.warnings(), "expiry " + expiry);
        }
    }

    @Test
    void aSessionIsFreshFromItsProofUpToTheLimitAndNeverFromTheFuture() {
        put("{\"rules\":[{\"id\":\"fresh\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"SESSION_FRESH\"]}]}");
        Instant now = installation.clock.instant();
        Duration limit = Duration.ofMinutes(15);
        for (Instant proved : new Instant[] {now, now.minus(limit)}) {
            assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(
                    request("MEMBER", true, true, false, AccessAction.READ_CONTENT, null, proved)));
        }
        for (Instant proved : new Instant[] {now.plusMillis(1), now.minus(limit).minusMillis(1)}) {
            assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.SESSION_FRESHNESS), installation.engine.decide(
                    request("MEMBER", true, true, false, AccessAction.READ_CONTENT, null, proved)));
        }
    }

    @Test
    void graceKeepsOnlyTheRuleThatGrantsIt() {
        put("{\"rules\":[{\"id\":\"graced\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":7}},"
                + "{\"id\":\"strict-uploads\",\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"]},"
                + "{\"id\":\"trial-strict\",\"mode\":\"report-only\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"]}]}");
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        assertDecision(DecisionOutcome.ALLOW, Set.of(), installation.engine.decide(request(AccessAction.UPLOAD_CONTENT)));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);

        // The rule with grace keeps the device allowed, and says so.
        Decision graced = installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertDecision(DecisionOutcome.ALLOW, Set.of(), graced);
        assertEquals(Set.of(DecisionCategory.GRACE_PERIOD, DecisionCategory.OS_POSTURE), graced.warnings());
        // The report-only rule without grace reports the denial it would make: no grace reaches it.
        assertEquals(List.of("trial-strict"),
                installation.engine.simulate(request(AccessAction.OPEN_SESSION)).reportOnlyDenials());
        // The enforce rule without grace denies, whatever the other rule grants.
        assertDecision(DecisionOutcome.DENY, Set.of(DecisionCategory.OS_POSTURE),
                installation.engine.decide(request(AccessAction.UPLOAD_CONTENT)));
    }

    @Test
    void aReportOnlyRuleWithItsOwnGraceReportsNothingWithinIt() {
        put("{\"rules\":[{\"id\":\"base\",\"roles\":[\"*\"],\"actions\":[\"*\"],\"require\":[\"MEMBER_ACTIVE\"]},"
                + "{\"id\":\"trial-graced\",\"mode\":\"report-only\",\"roles\":[\"*\"],\"actions\":[\"*\"],"
                + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"],\"graceDays\":{\"OS_POSTURE_ACCEPTABLE\":1}}]}");
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        installation.engine.decide(request(AccessAction.OPEN_SESSION));
        assertEquals(List.of(), installation.engine.simulate(request(AccessAction.OPEN_SESSION)).reportOnlyDenials());
        installation.clock.advance(Duration.ofDays(1));
        assertEquals(List.of("trial-graced"),
                installation.engine.simulate(request(AccessAction.OPEN_SESSION)).reportOnlyDenials());
    }

    @Test
    void aMalformedAccessRequestIsRefusedNamingWhatIsMissing() {
        AccessRequest noAction = new AccessRequest(environment.id(), "member-1", "device-1", new byte[] {1}, "MEMBER",
                true, true, false, null, null, null, Map.of());
        AccessRequest noEnvironment = new AccessRequest(null, "member-1", "device-1", new byte[] {1}, "MEMBER", true,
                true, false, AccessAction.OPEN_SESSION, null, null, Map.of());
        assertEquals("environmentId", assertThrows(InvalidRequestException.class,
                () -> installation.engine.decide(null)).field());
        assertEquals("environmentId", assertThrows(InvalidRequestException.class,
                () -> installation.engine.decide(noEnvironment)).field());
        assertEquals("action", assertThrows(InvalidRequestException.class,
                () -> installation.engine.decide(noAction)).field());
        assertEquals("action", assertThrows(InvalidRequestException.class,
                () -> installation.engine.simulate(noAction)).field());
        assertEquals("action", assertThrows(InvalidRequestException.class,
                () -> installation.engine.simulate(noAction, Map.of())).field());
        assertEquals(0L, installation.engine.counts().get("DENY") + installation.engine.counts().get("ALLOW"));
    }

    @Test
    void policiesOfClosedOrDeletedEnvironmentsCannotChange() {
        installation.pin.set("246810", null);
        installation.environments.apply(environment.id(), LifecycleAction.CLOSE, "246810");
        assertThrows(ConflictException.class, () -> put(ALL_PROVIDERS));
        assertThrows(NotFoundException.class, () -> installation.policies.current("no-such-environment"));
    }
}
