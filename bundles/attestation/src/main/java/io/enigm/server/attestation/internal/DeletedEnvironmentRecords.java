package io.enigm.server.attestation.internal;

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
 * Erases the attestation records of deleted environments unless a legal hold keeps them. Their
 * handles are already unlinkable once the environment's key is destroyed; the rows still go, so
 * retention stays what the design says. Each erasure is audited by environment only.
 */
@Component(service = {}, configurationPid = AttestationConfiguration.PID)
public class DeletedEnvironmentRecords {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedEnvironmentRecords.class);

    private final Database database;
    private final AuditLog audit;
    private final ScheduledExecutorService scheduler;

    @Activate
    public DeletedEnvironmentRecords(@Reference Database database, @Reference AuditLog audit,
            AttestationConfiguration configuration) {
        int interval = configuration.erasureIntervalSeconds();
        if (interval < 1 || interval > 3600) {
            throw new IllegalArgumentException("erasureIntervalSeconds must be between 1 and 3600, not " + interval);
        }
        this.database = database;
        this.audit = audit;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "enigm-attestation-eraser");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::eraseSafely, interval, interval, TimeUnit.SECONDS);
        LOG.info("Attestation records of deleted environments are erased every {} s", interval);
    }

    /** Without a schedule: the caller runs {@link #erase()}. */
    DeletedEnvironmentRecords(Database database, AuditLog audit) {
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
            // Each environment is one transaction: nothing is half erased, the next run tries again.
            LOG.warn("Erasing deleted environments' attestation records failed ({}); retrying on the next run",
                    e.getClass().getName());
        }
    }

    /** Erases every deleted, unheld environment's attestation records; returns how many environments. */
    int erase() {
        List<String> deleted = database.read(handle -> handle.createQuery("SELECT e.id FROM environment e"
                + " WHERE e.state = 'DELETED' AND e.legal_hold = 0 AND EXISTS (SELECT 1 FROM attestation_record r"
                + " WHERE r.environment_id = e.id)")
                .mapTo(String.class).list());
        for (String environmentId : deleted) {
            database.inTransaction(handle -> {
                handle.createUpdate("DELETE FROM attestation_record WHERE environment_id = :env")
                        .bind("env", environmentId).execute();
                audit.append(new AuditEntry(null, "SYSTEM", environmentId, "attestation.erase", environmentId,
                        AuditOutcome.ALLOWED, null));
                return null;
            });
            LOG.info("Erased the attestation records of deleted environment {}", environmentId);
        }
        return deleted.size();
    }
}
