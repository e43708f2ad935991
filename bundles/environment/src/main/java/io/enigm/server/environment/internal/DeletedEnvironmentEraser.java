package io.enigm.server.environment.internal;

import java.util.List;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.environment.EnvironmentData;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Erases, on a schedule, every registered kind of {@link EnvironmentData} of the environments
 * that are deleted and that no legal hold covers (deletion is refused under one; this keeps a
 * hold's promise even for an environment deleted by other means): one transaction and one audit record per
 * environment and kind, recording what kind was erased and never what it held. A failed run
 * leaves nothing half erased and is tried again on the next.
 *
 * <p>Deleted rows, and the environment key that deletion destroys at once, still lie in the
 * database's journal of earlier page versions until the store purges it: each run that finds a
 * newly deleted environment or erased something purges, and keeps trying on later runs until the
 * purge completes.
 */
@Component(service = {}, configurationPid = ErasureConfiguration.PID)
@Designate(ocd = ErasureConfiguration.class)
public class DeletedEnvironmentEraser {

    private static final Logger LOG = LoggerFactory.getLogger(DeletedEnvironmentEraser.class);

    private final Database database;
    private final AuditLog audit;
    private final LegalHolds holds;
    private final List<EnvironmentData> kinds = new CopyOnWriteArrayList<>();
    /** Deleted environments seen by a run; the runs are serial, on one thread or the test's. */
    private final Set<String> seenDeleted = new HashSet<>();
    /** Whether a deletion or erasure still lies in the database's journal. */
    private boolean purgePending;
    private final ScheduledExecutorService scheduler;

    @Activate
    public DeletedEnvironmentEraser(@Reference Database database, @Reference AuditLog audit,
            @Reference LegalHolds holds, ErasureConfiguration configuration) {
        int interval = configuration.erasureIntervalSeconds();
        if (interval < 1 || interval > 3600) {
            throw new IllegalArgumentException("erasureIntervalSeconds must be between 1 and 3600, not " + interval);
        }
        this.database = database;
        this.audit = audit;
        this.holds = holds;
        this.scheduler = DaemonThreads.scheduler("enigm-environment-eraser");
        scheduler.scheduleWithFixedDelay(this::eraseSafely, interval, interval, TimeUnit.SECONDS);
        LOG.info("Data of deleted environments is erased every {} s", interval);
    }

    /** Without a schedule: the caller runs {@link #erase()}. */
    DeletedEnvironmentEraser(Database database, AuditLog audit, LegalHolds holds) {
        this.database = database;
        this.audit = audit;
        this.holds = holds;
        this.scheduler = null;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindData(EnvironmentData data) {
        kinds.add(data);
    }

    void unbindData(EnvironmentData data) {
        kinds.remove(data);
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
            LOG.warn("Erasing deleted environments' data failed ({}); retrying on the next run", e.getClass().getName());
        }
    }

    /** Erases what every kind still holds of deleted, unheld environments; returns how many erasures ran. */
    int erase() {
        List<String> deleted = database.read(handle -> handle.createQuery(
                "SELECT id FROM environment WHERE state = 'DELETED'").mapTo(String.class).list());
        int erasures = 0;
        for (String environmentId : deleted) {
            if (holds.holdCovering(environmentId, null).isPresent()) {
                continue;
            }
            for (EnvironmentData kind : kinds) {
                if (!kind.holds(environmentId)) {
                    continue;
                }
                boolean erased = database.inTransaction(handle -> {
                    // A legal hold placed since the list was read wins.
                    if (holds.holdCovering(environmentId, null).isPresent()) {
                        return false;
                    }
                    // The kind's own store calls join this transaction, so its rows go with the audit record.
                    kind.erase(environmentId);
                    audit.append(new AuditEntry("system", null, environmentId, kind.name() + ".erase",
                            environmentId, AuditOutcome.ALLOWED, null));
                    return true;
                });
                if (erased) {
                    erasures++;
                    LOG.info("Erased the {} data of deleted environment {}", kind.name(), environmentId);
                }
            }
        }
        boolean newlyDeleted = seenDeleted.addAll(deleted);
        purgePending |= newlyDeleted || erasures > 0;
        if (purgePending) {
            purgePending = !database.purgeDeleted();
            if (purgePending) {
                LOG.info("A reader held the database's journal; purging deleted data again on the next run");
            }
        }
        return erasures;
    }
}
