package io.enigm.server.policy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.attestation.spi.SignalResult;
import io.enigm.server.environment.Environment;
import io.enigm.server.policy.AccessAction;
import io.enigm.server.policy.AccessRequest;
import io.enigm.server.policy.Decision;
import io.enigm.server.policy.DecisionCategory;
import io.enigm.server.policy.DecisionOutcome;

/**
 * Provider signals a session established: a decision reports the passes it saw (also of categories
 * its own rules did not need, when the device brought evidence for them), and a later request of
 * the same session counts them until they expire without asking the provider again.
 */
class EstablishedSignalsTest {

    /** Sessions need nothing from providers; media uploads need an acceptable OS posture. */
    private static final String MEDIA_NEEDS_POSTURE = "{\"rules\":[{\"id\":\"sessions\",\"roles\":[\"*\"],"
            + "\"actions\":[\"OPEN_SESSION\",\"RENEW_SESSION\"],\"require\":[\"MEMBER_ACTIVE\"]},"
            + "{\"id\":\"media\",\"roles\":[\"*\"],\"actions\":[\"UPLOAD_CONTENT\"],\"resources\":[\"media\"],"
            + "\"require\":[\"MEMBER_ACTIVE\",\"OS_POSTURE_ACCEPTABLE\"]}]}";
    private static final Map<String, Map<String, Object>> POSTURE_EVIDENCE = Map.of("os-posture",
            Map.of("statement", "signed for this attempt"));

    @TempDir
    Path directory;

    private Installation installation;
    private Environment environment;

    @BeforeEach
    void start() {
        installation = new Installation(directory);
        environment = installation.environment("Field office");
        installation.policies.put(environment.id(), MEDIA_NEEDS_POSTURE, "token-policy-admin");
        installation.registry.deployed.add(new ProviderInfo("os-posture", "OS posture", "1.0.0",
                SignalCategory.OS_POSTURE, "io.enigm.server.provider.os-posture", true));
    }

    @AfterEach
    void close() {
        installation.close();
    }

    private AccessRequest request(AccessAction action, String resource, Map<String, Map<String, Object>> evidence,
            Map<SignalCategory, Instant> established) {
        return new AccessRequest(environment.id(), "member-1", "device-1", new byte[] {1, 2, 3}, "MEMBER", true, true,
                false, action, resource, installation.clock.instant(), evidence, "nonce-1", established);
    }

    @Test
    void aSessionOpenedWithEvidenceEstablishesWhatPassedEvenWhereItsOwnRulesNeedNothing() {
        Instant until = installation.clock.instant().plus(Duration.ofMinutes(30));
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.PASS, until);

        Decision opened = installation.engine.decide(request(AccessAction.OPEN_SESSION, null, POSTURE_EVIDENCE,
                Map.of()));

        assertEquals(DecisionOutcome.ALLOW, opened.outcome());
        assertEquals(Map.of(SignalCategory.OS_POSTURE, until), opened.established());
        assertEquals(List.of(Set.of(SignalCategory.OS_POSTURE)), installation.registry.asked);
        Decision withoutEvidence = installation.engine.decide(request(AccessAction.OPEN_SESSION, null, Map.of(),
                Map.of()));
        assertEquals(Map.of(), withoutEvidence.established());
        assertEquals(1, installation.registry.asked.size(), "no evidence, no rule needing it: nothing asked");
    }

    @Test
    void aFailedOrUnavailableSignalEstablishesNothing() {
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        assertEquals(Map.of(), installation.engine.decide(request(AccessAction.OPEN_SESSION, null, POSTURE_EVIDENCE,
                Map.of())).established());
        installation.registry.remove(SignalCategory.OS_POSTURE);
        assertEquals(Map.of(), installation.engine.decide(request(AccessAction.OPEN_SESSION, null, POSTURE_EVIDENCE,
                Map.of())).established());
    }

    @Test
    void anEstablishedPassCountsUntilItExpiresWithoutAskingTheProviderAgain() {
        Instant until = installation.clock.instant().plus(Duration.ofMinutes(30));
        // The provider would refuse now: evidence bound to the session's attempt cannot be shown twice.
        installation.registry.answer(SignalCategory.OS_POSTURE, SignalResult.FAIL);
        Map<SignalCategory, Instant> established = Map.of(SignalCategory.OS_POSTURE, until);

        Decision upload = installation.engine.decide(request(AccessAction.UPLOAD_CONTENT, "media", Map.of(),
                established));
        assertEquals(DecisionOutcome.ALLOW, upload.outcome(), upload.toString());
        assertEquals(List.of(), installation.registry.asked);

        installation.clock.advance(Duration.ofMinutes(30));
        Decision expired = installation.engine.decide(request(AccessAction.UPLOAD_CONTENT, "media", Map.of(),
                established));
        assertEquals(DecisionOutcome.DENY, expired.outcome());
        assertEquals(Set.of(DecisionCategory.OS_POSTURE), expired.categories());
        assertEquals(List.of(Set.of(SignalCategory.OS_POSTURE)), installation.registry.asked);
    }

    @Test
    void anEstablishedSignalOfAnotherCategoryDoesNotStandInForTheOneTheRuleNeeds() {
        Map<SignalCategory, Instant> established = Map.of(SignalCategory.HARDWARE_KEY,
                installation.clock.instant().plus(Duration.ofMinutes(30)));
        Decision upload = installation.engine.decide(request(AccessAction.UPLOAD_CONTENT, "media", Map.of(),
                established));
        assertEquals(DecisionOutcome.DENY, upload.outcome());
        assertEquals(Set.of(DecisionCategory.ATTESTATION_UNAVAILABLE), upload.categories());
    }
}
