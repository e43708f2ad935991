package io.enigm.server.audit.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.function.LongSupplier;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.work.IdempotentAnswers;

/**
 * This bundle's audit log and security events for other bundles' unit tests (in the test jar), held
 * by their contracts.
 */
public final class TestAuditLogs {

    private TestAuditLogs() {
    }

    /** The hash-chained audit log on {@code database}, as Declarative Services builds it. */
    public static AuditLog open(DataHome home, Database database) {
        return new HashChainedAuditLog(database, home, new SimpleMeterRegistry());
    }

    /** The audit log on {@code database} with a clock the test moves: a checkpoint falls due a minute after the last. */
    public static AuditLog open(DataHome home, Database database, Clock clock) {
        return new HashChainedAuditLog(database, home, new SimpleMeterRegistry(), clock);
    }

    /** The security event recorder on {@code database}, timing events on {@code clock}. */
    public static SecurityEventRecorder securityEvents(Database database, Clock clock) {
        return new StoredSecurityEventRecorder(database, clock);
    }

    /** The security event feed on {@code database}, its environments looked up in {@code environments}. */
    public static SecurityEventFeed securityEventFeed(Database database, EnvironmentService environments) {
        return new StoredSecurityEventFeed(database, environments);
    }

    /**
     * The audit retention on {@code database} keeping {@code days} of records by {@code clock}, asking
     * {@code holds} what is held, without its schedule: the test calls the sweep, which answers how many records it removed.
     */
    public static LongSupplier auditRetention(Database database, DataHome home, AuditLog log, LegalHolds holds,
            int days, Clock clock) {
        AuditRetention retention = new AuditRetention(database, home, log, holds, new SimpleMeterRegistry(), TestComponents.configuration(
                AuditRetentionConfiguration.class, Map.of("retentionDays", days, "chunk", 2)), clock, false);
        return retention::sweep;
    }

    /** Idempotent answers on {@code database}, without their sweep's schedule. */
    public static IdempotentAnswers idempotentAnswers(Database database, Clock clock) {
        return new StoredIdempotentAnswers(database, clock);
    }
}
