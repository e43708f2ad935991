package io.enigm.server.membership.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.membership.SecurityEvent;
import io.enigm.server.security.RiskClass;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventFilter;

/** The installation's latest security events, newest first, as the operator's console lists them. */
class LatestSecurityEventsTest {

    @TempDir
    Path directory;

    @Test
    void theLatestEventsComeNewestFirstAndAFilterByRiskNarrowsThem() {
        try (Installation installation = new Installation(directory)) {
            String environment = installation.environment("Watched").id();
            for (SecurityEventCategory category : List.of(SecurityEventCategory.SESSION_SIGNATURE_FORGED,
                    SecurityEventCategory.DEVICE_ENROLLED, SecurityEventCategory.KEY_ANSWER_REFUSED,
                    SecurityEventCategory.DEVICE_TRUSTED)) {
                installation.database.inTransaction(handle -> {
                    installation.securityEvents.record(environment, category, null);
                    return null;
                });
                installation.clock.advance(Duration.ofMinutes(1));
            }

            List<String> latest = categories(installation.securityEventFeed.latestInstallation(SecurityEventFilter.ALL, 3));
            List<String> high = categories(installation.securityEventFeed.latestInstallation(
                    new SecurityEventFilter(RiskClass.HIGH, null, null, null), 10));

            assertEquals(List.of("DEVICE_TRUSTED", "KEY_ANSWER_REFUSED", "DEVICE_ENROLLED"), latest, "newest first, 3");
            assertEquals(List.of("KEY_ANSWER_REFUSED", "SESSION_SIGNATURE_FORGED"), high, "HIGH only");
            assertEquals(List.of(), installation.securityEventFeed.latestInstallation(
                    new SecurityEventFilter(RiskClass.CRITICAL, null, null, null), 10), "none CRITICAL");
            assertThrows(InvalidRequestException.class,
                    () -> installation.securityEventFeed.latestInstallation(SecurityEventFilter.ALL, 0));
        }
    }

    private static List<String> categories(List<SecurityEvent> events) {
        return events.stream().map(SecurityEvent::category).toList();
    }
}
