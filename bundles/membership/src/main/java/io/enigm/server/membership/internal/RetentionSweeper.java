package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jdbi.v3.core.Handle;
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
import io.enigm.server.store.Database;

/**
 * Deletes, on a schedule, membership records older than their retention: ended sessions, decided
 * join requests, security events. Environments under a legal hold keep everything; deleted ones are
 * the eraser's. One transaction and one audit record per environment and record class, naming the
 * class and never what was deleted. Live records (open sessions, pending requests) are never touched.
 */
@Component(service = {}, configurationPid = RetentionConfiguration.PID)
@Designate(ocd = RetentionConfiguration.class)
public class RetentionSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionSweeper.class);

    /** A class of records, and how to delete those of one environment that ended before a moment. */
    record RecordClass(String name, Duration retention, Deletion deletion) {
    }

    @FunctionalInterface
    interface Deletion {
        int delete(Handle handle, String environmentId, long endedBefore);
    }

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final List<RecordClass> classes;
    private final ScheduledExecutorService scheduler;

    @Activate
    public RetentionSweeper(@Reference Database database, @Reference AuditLog audit,
            RetentionConfiguration configuration) {
        this(database, audit, Clock.systemUTC(), configuration);
        int interval = within("sweepIntervalSeconds", configuration.sweepIntervalSeconds(), 60, 86_400);
        scheduler.scheduleWithFixedDelay(this::sweepSafely, interval, interval, TimeUnit.SECONDS);
        LOG.info("Membership retention: sessions {} d, join requests {} d, security events {} d; swept every {} s",
                configuration.sessionRetentionDays(), configuration.joinRequestRetentionDays(),
                configuration.securityEventRetentionDays(), interval);
    }

    RetentionSweeper(Database database, AuditLog audit, Clock clock, RetentionConfiguration configuration) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.classes = List.of(
                new RecordClass("session", days("sessionRetentionDays", configuration.sessionRetentionDays()),
                        RetentionSweeper::deleteSessions),
                new RecordClass("join-request", days("joinRequestRetentionDays",
                        configuration.joinRequestRetentionDays()), RetentionSweeper::deleteJoinRequests),
                new RecordClass("security-event", days("securityEventRetentionDays",
                        configuration.securityEventRetentionDays()), RetentionSweeper::deleteSecurityEvents));
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "enigm-membership-retention");
            thread.setDaemon(true);
            return thread;
        });
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

    /** Deletes what is past its retention in every environment without a legal hold; returns how many records. */
    int sweep() {
        List<String> environments = database.read(handle -> handle.createQuery(
                "SELECT id FROM environment WHERE state <> 'DELETED' AND legal_hold = 0").mapTo(String.class).list());
        long now = clock.millis();
        int deleted = 0;
        for (String environmentId : environments) {
            for (RecordClass recordClass : classes) {
                long endedBefore = now - recordClass.retention().toMillis();
                deleted += database.inTransaction(handle -> {
                    // A legal hold placed since the list was read wins.
                    if (handle.createQuery("SELECT legal_hold FROM environment WHERE id = :id")
                            .bind("id", environmentId).mapTo(Boolean.class).one()) {
                        return 0;
                    }
                    int count = recordClass.deletion().delete(handle, environmentId, endedBefore);
                    if (count > 0) {
                        audit.append(new AuditEntry("system", null, environmentId,
                                "retention." + recordClass.name() + ".delete", null, AuditOutcome.ALLOWED, null));
                    }
                    return count;
                });
            }
        }
        return deleted;
    }

    private static int deleteSessions(Handle handle, String environmentId, long endedBefore) {
        return handle.createUpdate("DELETE FROM session WHERE environment_id = :env"
                + " AND (closed_at < :before OR (closed_at IS NULL AND expires_at < :before))")
                .bind("env", environmentId).bind("before", endedBefore).execute();
    }

    private static int deleteJoinRequests(Handle handle, String environmentId, long endedBefore) {
        String old = "SELECT id FROM join_request WHERE environment_id = :env"
                + " AND ((state <> 'PENDING' AND decided_at < :before) OR (state = 'PENDING' AND expires_at < :before))";
        // An invite keeps its own record of use; only its link to the request goes.
        handle.createUpdate("UPDATE invite SET join_request_id = NULL WHERE join_request_id IN (" + old + ")")
                .bind("env", environmentId).bind("before", endedBefore).execute();
        return handle.createUpdate("DELETE FROM join_request WHERE id IN (" + old + ")")
                .bind("env", environmentId).bind("before", endedBefore).execute();
    }

    private static int deleteSecurityEvents(Handle handle, String environmentId, long endedBefore) {
        return handle.createUpdate("DELETE FROM security_event WHERE environment_id = :env AND created_at < :before")
                .bind("env", environmentId).bind("before", endedBefore).execute();
    }
}
