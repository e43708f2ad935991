package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.enigm.server.audit.AuditLog;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.membership.DeviceTrust;
import io.enigm.server.policy.Decision;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * What the session flow's refusals leave behind: a security event each — at a bounded rate for a
 * caller that has not proved its key ({@link RefusalEvents}), in the refusing transaction for a
 * device that has — and, for a device that exists, its count towards repeated failures and its
 * environment's defensive response ({@link DefensiveResponses}).
 */
final class SessionRefusals {

    /** How often refusals held back beyond the recording rate are written. */
    private static final long FLUSH_SECONDS = 10;

    /** Where refusals go: the event log, and the installation's threshold of repeated failures. */
    record Watch(SecurityEventRecorder events, EnvironmentService environments, int repeatedFailuresThreshold,
            Duration repeatedFailuresWindow) {
    }

    private final SecurityEventRecorder events;
    private final RefusalEvents rated;
    private final DefensiveResponses defences;
    private final TokensOutsideScope outsideScope;
    private final ScheduledExecutorService flusher;

    /** {@code scheduled}: held-back refusals are written every ten seconds; otherwise only by {@link #flush}. */
    SessionRefusals(Database database, AuditLog audit, Watch watch, Clock clock, int refusalEventsPerSecond,
            boolean scheduled) {
        this.events = watch.events();
        this.rated = new RefusalEvents(database, events, clock, refusalEventsPerSecond);
        this.defences = new DefensiveResponses(database, watch.environments(), events, audit, clock,
                watch.repeatedFailuresThreshold(), watch.repeatedFailuresWindow());
        this.outsideScope = new TokensOutsideScope(database, rated, clock);
        this.flusher = scheduled ? DaemonThreads.scheduler("enigm-refusal-events") : null;
        if (flusher != null) {
            flusher.scheduleWithFixedDelay(rated::flush, FLUSH_SECONDS, FLUSH_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * A caller that has not proved its key, recorded at a bounded rate and best effort. A refusal
     * naming a device that exists ({@code deviceId} with its standing) also counts for that device.
     */
    void unproven(String environmentId, SecurityEventCategory category, String deviceId, SessionStanding standing) {
        rated.record(environmentId, category, standing == null ? null : standing.keyHandle());
        if (deviceId != null && standing != null && standing.memberId() != null) {
            defences.failed(new DefensiveResponses.Subject(environmentId, deviceId, standing.memberId(),
                    standing.keyHandle(), DeviceTrust.TRUSTED.name().equals(standing.trust())), category);
        }
    }

    /** A session token {@code environmentId} refused: raised if it is live in another environment. */
    void tokenRefused(String tokenHash, String environmentId) {
        outsideScope.refused(tokenHash, environmentId);
    }

    /** A proven device refused: its event, on the refusing transaction (the caller's). */
    void record(DefensiveResponses.Subject device, SecurityEventCategory category) {
        events.record(device.environmentId(), category, device.keyHandle());
    }

    /** Once the refusal of a proven device has committed: its count. */
    void count(DefensiveResponses.Subject device, SecurityEventCategory category) {
        defences.failed(device, category);
    }

    /** In an allowing transaction: what report-only rules would have denied, as a policy violation. */
    void reportOnly(DefensiveResponses.Subject device, Decision decision) {
        if (FailClosed.reportOnlyWouldDeny(decision)) {
            events.record(device.environmentId(), SecurityEventCategory.REPORT_ONLY_WOULD_DENY, device.keyHandle());
        }
    }

    /** Writes the held-back refusals; returns how many. */
    long flush() {
        return rated.flush();
    }

    void stop() {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        rated.flush();
    }
}
