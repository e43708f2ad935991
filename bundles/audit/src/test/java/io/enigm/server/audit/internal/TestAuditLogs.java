package io.enigm.server.audit.internal;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.store.DataHome;
import io.enigm.server.store.Database;

/** This bundle's audit log for other bundles' unit tests (in the test jar), held by its contract. */
public final class TestAuditLogs {

    private TestAuditLogs() {
    }

    /** The hash-chained audit log on {@code database}, as Declarative Services builds it. */
    public static AuditLog open(DataHome home, Database database) {
        return new HashChainedAuditLog(database, home);
    }
}
