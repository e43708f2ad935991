package io.enigm.server.environment.internal;

import java.time.Clock;
import java.time.Duration;

import io.enigm.server.audit.internal.TestAuditLogs;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;

/** The environment bundle's real components wired as DS would, with settings fast enough for tests. */
final class Fixtures {

    /** Low on purpose: tests check many PINs; the configured minimum is for production. */
    static final int TEST_ITERATIONS = 1_000;
    static final Duration GRACE = Duration.ofDays(7);

    private Fixtures() {
    }

    static HashedCriticalOperationPin pin(DataHome home, Database database, Clock clock) {
        return new HashedCriticalOperationPin(database, TestAuditLogs.open(home, database),
                TestAuditLogs.securityEvents(database, clock), new HashedCriticalOperationPin.Settings(TEST_ITERATIONS, Duration.ofSeconds(30), Duration.ofHours(1)),
                clock);
    }

    static PersistentEnvironments environments(DataHome home, Database database, Clock clock) {
        HashedCriticalOperationPin pin = pin(home, database, clock);
        return new PersistentEnvironments(database, new HmacPseudonyms(database, home, clock), pin,
                new PersistentLegalHolds(database, pin, clock), GRACE, clock);
    }
}
