package io.enigm.server.console.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.enigm.server.attestation.registry.ProviderInfo;
import io.enigm.server.attestation.registry.ProviderUsage;
import io.enigm.server.attestation.spi.SignalCategory;
import io.enigm.server.audit.AuditVerification;
import io.enigm.server.security.RiskClass;

/** What the pages make of what the services answer. */
class ConsolePagesTest {

    @Test
    void aRiskClassFilterIsReadInAnyCaseAndAnythingElseShowsEveryClass() {
        assertEquals(Optional.of(RiskClass.HIGH), SecurityEventsConsolePlugin.riskClass("high"));
        assertEquals(Optional.of(RiskClass.CRITICAL), SecurityEventsConsolePlugin.riskClass(" CRITICAL "));
        for (String other : new String[] {null, "", " ", "SEVERE", "HIGH'--", "<b>"}) {
            assertEquals(Optional.empty(), SecurityEventsConsolePlugin.riskClass(other), String.valueOf(other));
        }
    }

    @Test
    void aProvidersHealthIsWhetherItRunsIsRegisteredAndHowItsLastRequestWent() {
        ProviderInfo info = new ProviderInfo("os-posture", "OS posture", "1.0", SignalCategory.OS_POSTURE,
                "io.enigm.server.provider.os-posture", true);

        assertEquals("disabled", ProvidersConsolePlugin.health(false, info, usage(ProviderUsage.Outcome.ANSWERED)));
        assertEquals("no provider registered (see its configuration and the log)",
                ProvidersConsolePlugin.health(true, null, null));
        assertEquals("not asked yet", ProvidersConsolePlugin.health(true, info, null));
        assertEquals("not asked yet", ProvidersConsolePlugin.health(true, info, usage(null)));
        assertEquals("answering", ProvidersConsolePlugin.health(true, info, usage(ProviderUsage.Outcome.ANSWERED)));
        assertEquals("last request timed out",
                ProvidersConsolePlugin.health(true, info, usage(ProviderUsage.Outcome.TIMED_OUT)));
        assertEquals("last request failed", ProvidersConsolePlugin.health(true, info, usage(ProviderUsage.Outcome.FAILED)));
    }

    @Test
    void aVerificationSaysWhetherTheChainIsIntactAndElseWhereAndHowItBreaks() {
        assertEquals("intact (12 records read)",
                AuditConsolePlugin.result(new AuditVerification(12, true, null, null, 12, "h")));
        assertEquals("BROKEN at record 7: HASH_MISMATCH (12 records read)", AuditConsolePlugin.result(
                new AuditVerification(12, false, 7L, AuditVerification.Problem.HASH_MISMATCH, 12, "h")));
    }

    private static ProviderUsage usage(ProviderUsage.Outcome last) {
        return new ProviderUsage("os-posture", Duration.ofMillis(200), 1, 1, 0, 0, Duration.ofMillis(3), last);
    }
}
