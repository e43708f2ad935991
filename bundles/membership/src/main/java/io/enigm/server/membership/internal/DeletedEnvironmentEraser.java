package io.enigm.server.membership.internal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.store.Database;

/**
 * Erases the membership data of deleted environments. A deleted environment's membership is
 * unavailable at once (every service treats it as not found); this job then removes the rows for
 * good, the raw device public keys included, unless a legal hold keeps them. Each erasure is
 * audited by environment only, without what was erased.
 */
@Component(service = {}, configurationPid = MembershipConfiguration.PID)
public class DeletedEnvironmentEraser {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedEnvironmentEraser.class);
    /** Children before parents, so foreign keys hold at every step. */
    private static final List<String> TABLES = List.of("session_challenge", "session", "invite", "join_request",
            "device", "member");

    private final Database database;
    private final AuditLog audit;
    private final ScheduledExecutorService scheduler;

    @Activate
    public DeletedEnvironmentEraser(@Reference Database database, @Reference AuditLog audit,
            MembershipConfiguration configuration) {
        int interval = configuration.erasureIntervalSeconds();
        if (interval < 1 || interval > 3600) {
            throw new IllegalArgumentException("erasureIntervalSeconds must be between 1 and 3600, not " + interval);
        }
        this.database = database;
        this.audit = audit;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "enigm-membership-eraser");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::eraseSafely, interval, interval, TimeUnit.SECONDS);
        LOG.info("Membership data of deleted environments is erased every {} s", interval);
    }

    /** Without a schedule: the caller runs {@link #erase()}. */
    DeletedEnvironmentEraser(Database database, AuditLog audit) {
        this.database = database;
        this.audit = audit;
        this.scheduler = null;
    }

    @Deactivate
    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void eraseSafely() {
        try {
            erase();
        } catch (RuntimeException e) {
            // The next run tries again; nothing is half erased, each environment is one transaction.
            LOG.warn("Erasing deleted environments' membership failed ({}); retrying on the next run",
                    e.getClass().getName());
        }
    }

    /** Erases every deleted, unheld environment's membership data; returns how many environments. */
    int erase() {
        List<String> deleted = database.read(handle -> handle.createQuery("SELECT e.id FROM environment e"
                + " WHERE e.state = 'DELETED' AND e.legal_hold = 0 AND (EXISTS (SELECT 1 FROM member m"
                + " WHERE m.environment_id = e.id) OR EXISTS (SELECT 1 FROM join_request j WHERE j.environment_id = e.id)"
                + " OR EXISTS (SELECT 1 FROM invite i WHERE i.environment_id = e.id))")
                .mapTo(String.class).list());
        for (String environmentId : deleted) {
            database.inTransaction(handle -> {
                eraseOne(handle, environmentId);
                audit.append(new AuditEntry(null, "SYSTEM", environmentId, "membership.erase", environmentId,
                        AuditOutcome.ALLOWED, null));
                return null;
            });
            LOG.info("Erased the membership data of deleted environment {}", environmentId);
        }
        return deleted.size();
    }

    private static void eraseOne(Handle handle, String environmentId) {
        handle.createUpdate("UPDATE device SET replaced_by = NULL WHERE environment_id = :env")
                .bind("env", environmentId).execute();
        handle.createUpdate("UPDATE join_request SET member_id = NULL, device_id = NULL WHERE environment_id = :env")
                .bind("env", environmentId).execute();
        for (String table : TABLES) {
            handle.createUpdate("DELETE FROM " + table + " WHERE environment_id = :env")
                    .bind("env", environmentId).execute();
        }
    }
}
