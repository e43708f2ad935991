package io.enigm.server.environment.internal;

import java.time.Clock;
import java.time.Duration;

import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/**
 * This bundle's services for other bundles' unit tests (in the test jar): the audit log, security events, HMAC
 * pseudonyms, the critical-operation PIN, the environment service and legal holds on a given store and clock,
 * wired as Declarative Services wires them, with a PIN derivation fast enough for tests. Callers
 * hold them by their contracts, so that this bundle's classes stay its own.
 */
public record TestEnvironments(AuditLog audit, SecurityEventRecorder securityEvents, Pseudonyms pseudonyms,
        CriticalOperationPin pin, EnvironmentService environments, LegalHolds holds) {

    /** {@code closingGrace}: how long a closing environment waits before it is closed, on {@code clock}. */
    public static TestEnvironments install(DataHome home, Database database, Clock clock, Duration closingGrace) {
        AuditLog audit = TestAuditLogs.open(home, database);
        SecurityEventRecorder events = TestAuditLogs.securityEvents(database, clock);
        HmacPseudonyms pseudonyms = new HmacPseudonyms(database, home, clock);
        HashedCriticalOperationPin pin = new HashedCriticalOperationPin(database, audit, events,
                new HashedCriticalOperationPin.Settings(Fixtures.TEST_ITERATIONS, Duration.ofSeconds(30),
                        Duration.ofHours(1)), clock);
        PersistentLegalHolds holds = new PersistentLegalHolds(database, pin, clock);
        return new TestEnvironments(audit, events, pseudonyms, pin,
                new PersistentEnvironments(database, pseudonyms, pin, holds, closingGrace, clock), holds);
    }
}
