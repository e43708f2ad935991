package io.enigm.server.http.internal;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.enigm.server.admin.AdminTokens;
import io.enigm.server.admin.CriticalOperationPin;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.internal.AuditedUnitOfWork;
import io.enigm.server.audit.internal.HashChainedAuditLog;
import io.enigm.server.audit.internal.StoredSecurityEventFeed;
import io.enigm.server.audit.internal.StoredSecurityEventRecorder;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.environment.internal.HashedAdminTokens;
import io.enigm.server.environment.internal.HashedCriticalOperationPin;
import io.enigm.server.environment.internal.HmacPseudonyms;
import io.enigm.server.environment.internal.PersistentEnvironments;
import io.enigm.server.environment.internal.PersistentLegalHolds;
import io.enigm.server.membership.SecurityEventFeed;
import io.enigm.server.privacy.Pseudonyms;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.store.internal.TestComponents;
import io.enigm.server.store.internal.TestDatabases;
import io.enigm.server.work.UnitOfWork;

/** The services the HTTP bundle's parts use, the real components wired as DS would on a real SQLite file. */
final class RealComponents {

    final AuditLog audit;
    final SecurityEventRecorder securityEvents;
    final UnitOfWork work;
    final SecurityEventFeed securityEventFeed;
    final EnvironmentService environments;
    final AdminTokens tokens;

    RealComponents(Path directory) {
        DataHome home = TestDatabases.home(directory);
        Database database = TestDatabases.open(home);
        audit = new HashChainedAuditLog(database, home, new SimpleMeterRegistry());
        securityEvents = new StoredSecurityEventRecorder(database);
        work = new AuditedUnitOfWork(database, audit);
        CriticalOperationPin pin = TestComponents.activate(HashedCriticalOperationPin.class,
                Map.of(Database.class, database, AuditLog.class, audit, SecurityEventRecorder.class, securityEvents));
        Pseudonyms pseudonyms = TestComponents.activate(HmacPseudonyms.class,
                Map.of(Database.class, database, DataHome.class, home));
        LegalHolds holds = TestComponents.activate(PersistentLegalHolds.class,
                Map.of(Database.class, database, CriticalOperationPin.class, pin));
        environments = TestComponents.activate(PersistentEnvironments.class, Map.of(Database.class, database,
                Pseudonyms.class, pseudonyms, CriticalOperationPin.class, pin, LegalHolds.class, holds));
        securityEventFeed = new StoredSecurityEventFeed(database, environments);
        tokens = TestComponents.activate(HashedAdminTokens.class, Map.of(Database.class, database,
                EnvironmentService.class, environments, CriticalOperationPin.class, pin));
    }

    /** Refusals without a token, audited in this audit log, environments looked up in {@code lookups}. */
    UnauthenticatedRefusals unauthenticatedRefusals(EnvironmentService lookups) {
        return TestComponents.activate(UnauthenticatedRefusals.class,
                Map.of(AuditLog.class, audit, EnvironmentService.class, lookups));
    }

    /** Every audit entry, oldest first. */
    List<AuditEntry> records() {
        List<AuditEntry> entries = new ArrayList<>();
        audit.forEach(record -> entries.add(record.entry()));
        return entries;
    }
}
