package io.enigm.server.content.internal;

import java.time.Clock;
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
import io.enigm.server.home.DataHome;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;
import io.enigm.server.support.threads.TimedJob;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Erases expired objects on an interval, in bounded chunks: each chunk's rows and bytes go in one
 * short transaction with one audit record per environment touched (how many, never which). Expired
 * objects are already in no answer; this frees their space. Environments under a legal hold are
 * skipped. On the same interval, the bytes of uploads abandoned long ago go too.
 */
@Component(service = ContentSweeper.class, immediate = true, configurationPid = ContentConfiguration.PID)
public class ContentSweeper {

    private static final Logger LOG = LoggerFactory.getLogger(ContentSweeper.class);

    private final Database database;
    private final Blobs blobs;
    private final ContentErasure erasure;
    private final AuditLog audit;
    private final Clock clock;
    private final int chunk;
    private final ScheduledExecutorService scheduler;

    @Activate
    public ContentSweeper(@Reference Database database, @Reference DataHome home, @Reference AuditLog audit,
            @Reference MeterRegistry meters, ContentConfiguration configuration) {
        this(database, Blobs.of(database, home), audit, meters, ContentLimits.of(configuration));
    }

    private ContentSweeper(Database database, Blobs blobs, AuditLog audit, MeterRegistry meters,
            ContentLimits limits) {
        this(database, blobs, audit, Clock.systemUTC(), limits.sweepChunk());
        long seconds = limits.sweepInterval().toSeconds();
        scheduler.scheduleWithFixedDelay(new TimedJob(meters, "content-sweep", this::sweepLogged,
                e -> LOG.warn("Content sweep failed ({}); retrying on the next run", e.getClass().getName())),
                seconds, seconds, TimeUnit.SECONDS);
        LOG.info("Content sweep every {} s, {} objects per transaction", seconds, chunk);
    }

    ContentSweeper(Database database, Blobs blobs, AuditLog audit, Clock clock, int chunk) {
        this.database = database;
        this.blobs = blobs;
        this.erasure = new ContentErasure(blobs);
        this.audit = audit;
        this.clock = clock;
        this.chunk = chunk;
        this.scheduler = DaemonThreads.scheduler("enigm-content-sweep");
    }

    @Deactivate
    void stop() {
        scheduler.shutdownNow();
    }

    private void sweepLogged() {
        int erased = sweep();
        int abandoned = blobs.removeAbandoned();
        if (erased > 0 || abandoned > 0) {
            LOG.debug("Erased {} expired objects and the bytes of {} abandoned uploads", erased, abandoned);
        }
    }

    /** Erases every object expired by now, chunk by chunk; returns how many. */
    int sweep() {
        long now = clock.millis();
        int erased = 0;
        int last;
        do {
            last = database.inTransaction(handle -> {
                List<ContentRows.Expired> expired = ContentRows.expired(handle, now, chunk);
                erasure.erase(handle, expired.stream().map(ContentRows.Expired::seq).toList());
                expired.stream().map(ContentRows.Expired::environmentId).distinct().forEach(environmentId ->
                        audit.append(new AuditEntry("system", null, environmentId, "content.expire", null,
                                AuditOutcome.ALLOWED, null)));
                return expired.size();
            });
            erased += last;
        } while (last == chunk);
        return erased;
    }
}
