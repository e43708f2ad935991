package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.store.BatchDeletes;
import io.enigm.server.store.BatchDeletion;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Deletes, on a schedule, membership records older than their retention: ended sessions, decided
 * join requests, security events. What a legal hold covers stays: an environment's hold keeps all of
 * its records, a member's hold that member's sessions and join requests and, since security events
 * name no member, every security event of the environment. Deleted environments are the eraser's. Each record class goes in batches, one statement across all environments per
 * batch, so a sweep costs a handful of write transactions however many environments there are; one
 * audit record per environment, class and batch names the class and never what was deleted. Live
 * records (open sessions, pending requests) are never touched.
 */
@Component(service = {}, configurationPid = RetentionConfiguration.PID)
@Designate(ocd = RetentionConfiguration.class)
public class RetentionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    /** Rows per deleting transaction: a long backlog must not hold the store's one writer for long. */
    static final int BATCH = 5_000;
    /** Environments whose records retention may delete. */
    private static final String SWEPT = "environment_id IN (SELECT id FROM environment WHERE state <> 'DELETED')";

    /**
     * A class of records: its table, the condition (on {@code :before}) under which a row has ended
     * long enough ago, the column naming the member a row belongs to ({@code null} if none does),
     * and the columns elsewhere that refer to its rows.
     */
    record RecordClass(String name, Duration retention, String table, String ended, String member,
            List<BatchDeletion.Referrer> referrers) {

        /**
         * Rows no legal hold covers at {@code :now}: none on the environment, none on the row's
         * member, or none on any member for rows that name none. Read inside the deleting
         * statement, so a hold placed meanwhile wins.
         */
        String unheld() {
            return "NOT EXISTS (SELECT 1 FROM legal_hold WHERE legal_hold.environment_id = " + table + ".environment_id"
                    + " AND (legal_hold.ends_at IS NULL OR legal_hold.ends_at > :now)"
                    + (member == null ? "" : " AND (legal_hold.member_id IS NULL OR legal_hold.member_id = "
                            + table + "." + member + ")") + ")";
        }
    }

    private final Database database;
    private final BatchDeletes deletes;
    private final AuditLog audit;
    private final Clock clock;
    private final List<RecordClass> classes;
    private final ScheduledExecutorService scheduler;

    @Activate
    public RetentionSweeper(@Reference Database database, @Reference BatchDeletes deletes, @Reference AuditLog audit,
            RetentionConfiguration configuration) {
        this(database, deletes, audit, Clock.systemUTC(), configuration);
        int interval = within("sweepIntervalSeconds", configuration.sweepIntervalSeconds(), 60, 86_400);
        scheduler.scheduleWithFixedDelay(this::sweepSafely, interval, interval, TimeUnit.SECONDS);
        LOG.info("Membership retention: sessions {} d, join requests {} d, security events {} d; swept every {} s",
                configuration.sessionRetentionDays(), configuration.joinRequestRetentionDays(),
                configuration.securityEventRetentionDays(), interval);
    }

    RetentionSweeper(Database database, BatchDeletes deletes, AuditLog audit, Clock clock,
            RetentionConfiguration configuration) {
        this.database = database;
        this.deletes = deletes;
        this.audit = audit;
        this.clock = clock;
        this.classes = List.of(
                new RecordClass("session", days("sessionRetentionDays", configuration.sessionRetentionDays()),
                        "session", "(closed_at < :before OR (closed_at IS NULL AND expires_at < :before))", "member_id",
                        List.of()),
                new RecordClass("join-request", days("joinRequestRetentionDays",
                        configuration.joinRequestRetentionDays()), "join_request", "((state <> 'PENDING'"
                                + " AND decided_at < :before) OR (state = 'PENDING' AND expires_at < :before))", "member_id",
                        // An invite keeps its own record of use; only its link to the request goes.
                        List.of(new BatchDeletion.Referrer("invite", "join_request_id"))),
                new RecordClass("security-event", days("securityEventRetentionDays",
                        configuration.securityEventRetentionDays()), "security_event", "created_at < :before",
                        null, List.of()));
        this.scheduler = DaemonThreads.scheduler("enigm-membership-retention");
    }

    private static Duration days(String name, int days) {
        return Duration.ofDays(within(name, days, 1, 3650));
    }

    private static int within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }

    @Deactivate
    void stop() {
        scheduler.shutdownNow();
    }

    private void sweepSafely() {
        try {
            int deleted = sweep();
            if (deleted > 0) {
                LOG.info("Deleted {} membership records past their retention", deleted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Membership retention sweep failed ({}); retrying on the next run", e.getClass().getName());
        }
    }

    /** Deletes what is past its retention and under no legal hold; returns how many records. */
    int sweep() {
        long now = clock.millis();
        int deleted = 0;
        for (RecordClass recordClass : classes) {
            long before = now - recordClass.retention().toMillis();
            int batch;
            do {
                // The deletion joins this transaction, so its audit records commit with it.
                batch = database.inTransaction(handle -> deleteBatch(recordClass, before, now));
                deleted += batch;
            } while (batch == BATCH);
        }
        return deleted;
    }

    private int deleteBatch(RecordClass recordClass, long before, long now) {
        List<String> environments = deletes.delete(new BatchDeletion(recordClass.table(),
                SWEPT + " AND " + recordClass.unheld() + " AND " + recordClass.ended(),
                Map.of("before", before, "now", now), BATCH, recordClass.referrers()));
        environments.stream().distinct().forEach(environmentId -> audit.append(new AuditEntry("system", null,
                environmentId, "retention." + recordClass.name() + ".delete", null, AuditOutcome.ALLOWED, null)));
        return environments.size();
    }
}
