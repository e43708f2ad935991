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
import io.enigm.server.audit.internal.CheckpointSigner.Checkpoint;
import io.enigm.server.environment.LegalHolds;
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;
import io.enigm.server.support.threads.TimedJob;
import io.micrometer.core.instrument.MeterRegistry;

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
    private final LegalHolds holds;
    private final CheckpointSigner signer;
    private final AuditRetentionConfiguration configuration;
    private final Clock clock;
    private final ScheduledExecutorService thread;

    @Activate
    public AuditRetention(@Reference Database database, @Reference DataHome home, @Reference AuditLog audit,
            @Reference LegalHolds holds, @Reference MeterRegistry meters, AuditRetentionConfiguration configuration) {
        this(database, home, audit, holds, meters, configuration, Clock.systemUTC(), true);
    }

    AuditRetention(Database database, DataHome home, AuditLog audit, LegalHolds holds, MeterRegistry meters,
            AuditRetentionConfiguration configuration, Clock clock, boolean scheduled) {
        if (configuration.retentionDays() < 0 || configuration.chunk() < 1 || configuration.sweepIntervalSeconds() < 1) {
            throw new IllegalArgumentException(AuditRetentionConfiguration.PID
                    + ": retentionDays must be at least 0, chunk and sweepIntervalSeconds at least 1");
        }
        this.database = database;
        this.audit = audit;
        this.holds = holds;
        this.signer = new CheckpointSigner(home);
        this.configuration = configuration;
        this.clock = clock;
        this.thread = DaemonThreads.scheduler("enigm-audit-retention");
        if (scheduled && configuration.retentionDays() > 0) {
            thread.scheduleWithFixedDelay(new TimedJob(meters, "audit-retention", this::sweep,
                    e -> LOG.warn("An audit retention sweep failed ({}); again in {} s", e.getClass().getName(),
                            configuration.sweepIntervalSeconds())), configuration.sweepIntervalSeconds(),
                    configuration.sweepIntervalSeconds(), TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void stop() {
        thread.shutdownNow();
    }

    /** @return how many records were removed */
    long sweep() {
        if (configuration.retentionDays() == 0) {
            return 0;
        }
        long now = clock.millis();
        long cutoff = now - TimeUnit.DAYS.toMillis(configuration.retentionDays());
        long first = database.read(handle -> handle.createQuery("SELECT MIN(sequence) FROM audit_record")
                .mapTo(Long.class).findOne()).orElse(0L);
        Optional<Checkpoint> through = database.read(handle -> handle.createQuery("SELECT * FROM audit_checkpoint"
                + " WHERE created_at < :cutoff AND sequence < (SELECT MAX(sequence) FROM audit_record)"
                + " AND sequence < :held ORDER BY sequence DESC LIMIT 1")
                .bind("cutoff", cutoff).bind("held", firstHeld()).map((rs, ctx) -> HashChainedAuditLog.checkpoint(rs))
                .findOne());
        if (through.isEmpty() || through.get().sequence() < first) {
            return 0;
        }
        // signed before anything goes: the records kept start after it, and nothing else can say so
        Checkpoint statement = signer.signRetention(through.get().sequence(), through.get().hash(), now);
        database.inTransaction(handle -> handle.createUpdate("INSERT INTO audit_retention (sequence, hash, created_at,"
                + " signature) VALUES (:sequence, :hash, :createdAt, :signature)")
                .bind("sequence", statement.sequence()).bind("hash", statement.hash())
                .bind("createdAt", statement.createdAt()).bind("signature", statement.signature()).execute());
        long removed = 0;
        int chunk;
        do {
            chunk = pruning(handle -> handle.createUpdate("DELETE FROM audit_record WHERE sequence IN (SELECT sequence"
                    + " FROM audit_record WHERE sequence <= :through ORDER BY sequence LIMIT :chunk)")
                    .bind("through", statement.sequence()).bind("chunk", configuration.chunk()).execute());
            removed += chunk;
        } while (chunk == configuration.chunk());
        pruning(handle -> handle.createUpdate("DELETE FROM audit_checkpoint WHERE sequence < :through")
                .bind("through", statement.sequence()).execute());
        audit.append(new AuditEntry("system", null, null, ACTION, Long.toString(statement.sequence()),
                AuditOutcome.ALLOWED, null, List.of(new AuditChange("firstSequence", Long.toString(first),
                        Long.toString(statement.sequence() + 1)))));
        LOG.info("Audit retention: {} records up to sequence {} removed", removed, statement.sequence());
        return removed;
    }

    /**
     * The first record of an environment under a legal hold: nothing from it on is removed, since a
     * hold suspends every deletion of what it covers. {@code Long.MAX_VALUE} when none is held.
     */
    private long firstHeld() {
        List<String> environments = database.read(handle -> handle.createQuery("SELECT DISTINCT environment_id"
                + " FROM audit_record WHERE environment_id IS NOT NULL").mapTo(String.class).list());
        long first = Long.MAX_VALUE;
        for (String environmentId : environments) {
            if (holds.holdCovering(environmentId, null).isPresent()) {
                first = Math.min(first, database.read(handle -> handle.createQuery("SELECT MIN(sequence)"
                        + " FROM audit_record WHERE environment_id = :env").bind("env", environmentId)
                        .mapTo(Long.class).one()));
            }
        }
        return first;
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
