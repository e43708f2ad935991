package io.enigm.server.environment.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Closes environments whose grace period has ended, writing down what reads already show
 * (see {@link PersistentEnvironments}), each change audited as the system's.
 */
@Component(configurationPid = LifecycleConfiguration.PID)
public class ClosingSweeper {

    static final String AUDIT_ACTION = "environment.closed";
    private static final Logger LOG = LoggerFactory.getLogger(ClosingSweeper.class);

    private final Database database;
    private final AuditLog audit;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    @Activate
    public ClosingSweeper(@Reference Database database, @Reference AuditLog audit,
            LifecycleConfiguration configuration) {
        this(database, audit, Clock.systemUTC());
        Duration interval = Lifecycle.positiveDuration("sweepInterval", configuration.sweepInterval());
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.info("Closing sweeper every {}", interval);
    }

    ClosingSweeper(Database database, AuditLog audit, Clock clock) {
        this.database = database;
        this.audit = audit;
        this.clock = clock;
        this.scheduler = DaemonThreads.scheduler("enigm-closing-sweeper");
    }

    @Deactivate
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Closes every environment whose grace period has ended; returns how many. */
    int sweep() {
        long now = clock.millis();
        return database.inTransaction(handle -> {
            List<String> ended = handle.createQuery("SELECT id FROM environment"
                    + " WHERE state = 'CLOSING' AND closing_ends_at <= :now")
                    .bind("now", now)
                    .mapTo(String.class)
                    .list();
            for (String id : ended) {
                handle.createUpdate("UPDATE environment SET state = 'CLOSED', closing_ends_at = NULL WHERE id = :id")
                        .bind("id", id)
                        .execute();
                audit.append(new AuditEntry("system", null, id, AUDIT_ACTION, id, AuditOutcome.ALLOWED, null));
            }
            return ended.size();
        });
    }

    /** A failed sweep must not end the schedule: the next one tries again. */
    private void sweepQuietly() {
        try {
            int closed = sweep();
            if (closed > 0) {
                LOG.info("Closed {} environments whose grace period ended", closed);
            }
        } catch (RuntimeException e) {
            LOG.error("Closing sweep failed: {}", e.getClass().getName());
        }
    }
}
