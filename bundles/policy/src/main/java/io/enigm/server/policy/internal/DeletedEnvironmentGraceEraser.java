package io.enigm.server.policy.internal;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

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
 * Erases the grace-period ledger of deleted environments, unless a legal hold keeps them: its rows
 * name devices, which are gone with the environment. Policy versions stay, like the audit: they hold
 * rules and administrators' token ids, nothing about members. Each erasure is audited by environment
 * only.
 */
@Component(service = {}, configurationPid = PolicyEngineConfiguration.PID)
public class DeletedEnvironmentGraceEraser {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedEnvironmentGraceEraser.class);

    private final Database database;
    private final AuditLog audit;
    private final ScheduledExecutorService scheduler;

    @Activate
    public DeletedEnvironmentGraceEraser(@Reference Database database, @Reference AuditLog audit,
            PolicyEngineConfiguration configuration) {
        int interval = configuration.erasureIntervalSeconds();
        if (interval < 1 || interval > 3600) {
            throw new IllegalArgumentException("erasureIntervalSeconds must be between 1 and 3600, not " + interval);
        }
        this.database = database;
        this.audit = audit;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "enigm-policy-eraser");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::eraseSafely, interval, interval, TimeUnit.SECONDS);
        LOG.info("The grace-period ledger of deleted environments is erased every {} s", interval);
    }

    /** Without a schedule: the caller runs {@link #erase()}. */
    DeletedEnvironmentGraceEraser(Database database, AuditLog audit) {
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
            // The next run tries again; each environment is erased in one transaction.
            LOG.warn("Erasing deleted environments' grace-period ledger failed ({}); retrying on the next run",
                    e.getClass().getName());
        }
    }

    /** Erases the ledger of every deleted, unheld environment that has one; returns how many environments. */
    int erase() {
        List<String> deleted = database.read(handle -> handle.createQuery("SELECT e.id FROM environment e"
                + " WHERE e.state = 'DELETED' AND e.legal_hold = 0"
                + " AND EXISTS (SELECT 1 FROM policy_grace g WHERE g.environment_id = e.id)")
                .mapTo(String.class).list());
        for (String environmentId : deleted) {
            database.inTransaction(handle -> {
                handle.createUpdate("DELETE FROM policy_grace WHERE environment_id = :env")
                        .bind("env", environmentId).execute();
                audit.append(new AuditEntry(null, "SYSTEM", environmentId, "policy.grace.erase", environmentId,
                        AuditOutcome.ALLOWED, null));
                return null;
            });
            LOG.info("Erased the grace-period ledger of deleted environment {}", environmentId);
        }
        return deleted.size();
    }
}
