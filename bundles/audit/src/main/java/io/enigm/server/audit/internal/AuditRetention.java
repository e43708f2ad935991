package io.enigm.server.audit.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import org.jdbi.v3.core.Handle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditChange;
import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Removes audit records past the retention period, only in whole spans up to a signed checkpoint:
 * the newest checkpoint signed before the period began, and everything up to it, goes except that
 * checkpoint, whose signed hash the first record kept follows; so the part kept verifies from it,
 * and the export says where it starts. Each removal is itself audited ({@code audit.prune}, the new
 * first sequence). The records go in short transactions, first to last, so a sweep cut short leaves
 * a shorter prefix gone and the next sweep finishes it.
 */
@Component(service = {}, immediate = true, configurationPid = AuditRetentionConfiguration.PID)
@Designate(ocd = AuditRetentionConfiguration.class)
public final class AuditRetention {

    static final String ACTION = "audit.prune";
    private static final Logger LOG = LoggerFactory.getLogger(AuditRetention.class);

    private final Database database;
    private final AuditLog audit;
    private final AuditRetentionConfiguration configuration;
    private final Clock clock;
    private final ScheduledExecutorService thread;

    @Activate
    public AuditRetention(@Reference Database database, @Reference AuditLog audit,
            AuditRetentionConfiguration configuration) {
        this(database, audit, configuration, Clock.systemUTC(), true);
    }

    AuditRetention(Database database, AuditLog audit, AuditRetentionConfiguration configuration, Clock clock,
            boolean scheduled) {
        this.database = database;
        this.audit = audit;
        this.configuration = configuration;
        this.clock = clock;
        this.thread = DaemonThreads.scheduler("enigm-audit-retention");
        if (scheduled && configuration.retentionDays() > 0) {
            thread.scheduleWithFixedDelay(this::sweepQuietly, configuration.sweepIntervalSeconds(),
                    configuration.sweepIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void stop() {
        thread.shutdownNow();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("An audit retention sweep failed ({}); again in {} s", e.getClass().getName(),
                    configuration.sweepIntervalSeconds());
        }
    }

    /** @return how many records were removed */
    long sweep() {
        if (configuration.retentionDays() == 0) {
            return 0;
        }
        long cutoff = clock.millis() - TimeUnit.DAYS.toMillis(configuration.retentionDays());
        Optional<Long> through = database.read(handle -> handle.createQuery("SELECT MAX(sequence) FROM audit_checkpoint"
                + " WHERE created_at < :cutoff AND sequence < (SELECT MAX(sequence) FROM audit_record)")
                .bind("cutoff", cutoff).mapTo(Long.class).findOne());
        long first = database.read(handle -> handle.createQuery("SELECT MIN(sequence) FROM audit_record")
                .mapTo(Long.class).findOne()).orElse(0L);
        if (through.isEmpty() || through.get() < first) {
            return 0;
        }
        long removed = 0;
        int chunk;
        do {
            chunk = pruning(handle -> handle.createUpdate("DELETE FROM audit_record WHERE sequence IN (SELECT sequence"
                    + " FROM audit_record WHERE sequence <= :through ORDER BY sequence LIMIT :chunk)")
                    .bind("through", through.get()).bind("chunk", configuration.chunk()).execute());
            removed += chunk;
        } while (chunk == configuration.chunk());
        pruning(handle -> handle.createUpdate("DELETE FROM audit_checkpoint WHERE sequence < :through")
                .bind("through", through.get()).execute());
        audit.append(new AuditEntry("system", null, null, ACTION, Long.toString(through.get()), AuditOutcome.ALLOWED,
                null, List.of(new AuditChange("firstSequence", Long.toString(first), Long.toString(through.get() + 1)))));
        LOG.info("Audit retention: {} records up to sequence {} removed", removed, through.get());
        return removed;
    }

    /** A transaction that may delete audit records and checkpoints: the triggers let it through, no other. */
    private int pruning(ToIntFunction<Handle> deletion) {
        return database.inTransaction(handle -> {
            handle.execute("INSERT INTO audit_pruning (id) VALUES (1)");
            int deleted = deletion.applyAsInt(handle);
            handle.execute("DELETE FROM audit_pruning");
            return deleted;
        });
    }
}
