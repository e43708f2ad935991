package io.enigm.server.membership.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.environment.DefensiveResponse;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.environment.EnvironmentState;
import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;

/**
 * What the server does about a known device's repeated failures in the session flow: once a device
 * or its member crosses the installation's threshold within its window, one
 * {@link SecurityEventCategory#REPEATED_FAILURES} event; once a device reaches its environment's
 * {@link DefensiveResponse} (off by default), the device is restricted, its sessions end, and the
 * restriction is recorded as a {@link SecurityEventCategory#DEVICE_RESTRICTED_AUTOMATICALLY} event
 * and an audit record with the system as actor, all in one transaction.
 */
final class DefensiveResponses {

    private static final Logger LOG = LoggerFactory.getLogger(DefensiveResponses.class);

    /** The actor of what the server does on its own, in the audit. */
    static final String SYSTEM = "system";
    private static final String SYSTEM_ROLE = "SYSTEM";
    static final String RESTRICT_ACTION = "device.restrict-automatically";

    /**
     * Failures that say something about the device: not an expired nonce or session token, which a
     * slow or sleeping device produces on its own.
     */
    private static final Set<SecurityEventCategory> COUNTED = EnumSet.of(
            SecurityEventCategory.SESSION_SIGNATURE_FORGED, SecurityEventCategory.SESSION_NONCE_UNKNOWN,
            SecurityEventCategory.SESSION_NONCE_MISMATCH, SecurityEventCategory.SESSION_DEVICE_REFUSED,
            SecurityEventCategory.SESSION_MEMBER_REFUSED, SecurityEventCategory.SESSION_POLICY_DENIED);

    /**
     * A refused device, as far as the session flow knows it; {@code trusted} when it was TRUSTED as
     * the refusal read it: only such a device can be restricted, so no other costs a write.
     */
    record Subject(String environmentId, String deviceId, String memberId, String keyHandle, boolean trusted) {
    }

    private final Database database;
    private final EnvironmentService environments;
    private final SecurityEventRecorder events;
    private final AuditLog audit;
    private final Clock clock;
    private final int anomalyThreshold;
    private final long anomalyWindowMillis;
    private final FailureWindows windows;

    DefensiveResponses(Database database, EnvironmentService environments, SecurityEventRecorder events,
            AuditLog audit, Clock clock, int anomalyThreshold, Duration anomalyWindow) {
        if (anomalyThreshold < 2 || anomalyWindow.isNegative() || anomalyWindow.isZero()) {
            throw new IllegalArgumentException("repeated failures need a threshold of at least 2 and a window");
        }
        this.database = database;
        this.environments = environments;
        this.events = events;
        this.audit = audit;
        this.clock = clock;
        this.anomalyThreshold = anomalyThreshold;
        this.anomalyWindowMillis = anomalyWindow.toMillis();
        long longestWindow = Math.max(anomalyWindowMillis,
                Duration.ofSeconds(DefensiveResponse.MAX_WINDOW_SECONDS).toMillis());
        this.windows = new FailureWindows(longestWindow, Math.max(anomalyThreshold, DefensiveResponse.MAX_FAILURES));
    }

    /** Counts a refusal of a known device. Best effort: the device is refused whatever happens here. */
    void failed(Subject subject, SecurityEventCategory category) {
        if (!COUNTED.contains(category)) {
            return;
        }
        try {
            respond(subject, category);
        } catch (RuntimeException e) {
            LOG.warn("Could not respond to a {} failure ({})", category, e.getClass().getName());
        }
    }

    private void respond(Subject subject, SecurityEventCategory category) {
        long now = clock.millis();
        String device = "device:" + subject.deviceId();
        String member = "member:" + subject.memberId();
        windows.add(device, now);
        windows.add(member, now);
        // the event at the moment the threshold is crossed, once per crossing; a member's only when
        // its device's does not already say it
        if (windows.within(device, now, anomalyWindowMillis) == anomalyThreshold) {
            events.record(subject.environmentId(), SecurityEventCategory.REPEATED_FAILURES, subject.keyHandle());
        } else if (windows.within(member, now, anomalyWindowMillis) == anomalyThreshold) {
            events.record(subject.environmentId(), SecurityEventCategory.REPEATED_FAILURES, subject.memberId());
        }
        Environment environment = environments.get(subject.environmentId());
        DefensiveResponse response = environment.defensiveResponse();
        if (subject.trusted() && response.enabled() && environment.state() == EnvironmentState.ACTIVE
                && windows.within(device, now, response.windowSeconds() * 1000L) >= response.failures()) {
            restrict(subject, category, now);
            windows.clear(device);
        }
    }

    /**
     * Restricts the device if it is still TRUSTED (so that racing failures restrict it once), ends
     * its sessions, and records the response as a security event and an audit record.
     */
    private void restrict(Subject subject, SecurityEventCategory cause, long now) {
        database.inTransaction(handle -> {
            int restricted = handle.createUpdate("UPDATE device SET trust = 'RESTRICTED', updated_at = :now"
                    + " WHERE id = :id AND environment_id = :env AND trust = 'TRUSTED'")
                    .bind("now", now).bind("id", subject.deviceId()).bind("env", subject.environmentId()).execute();
            if (restricted == 0) {
                return null;
            }
            Revocations.closeSessionsOfDevice(handle, subject.environmentId(), subject.deviceId(), now);
            events.record(subject.environmentId(), SecurityEventCategory.DEVICE_RESTRICTED_AUTOMATICALLY,
                    subject.keyHandle());
            audit.append(new AuditEntry(SYSTEM, SYSTEM_ROLE, subject.environmentId(),
                    RESTRICT_ACTION, subject.deviceId(), AuditOutcome.ALLOWED, cause.name()));
            return null;
        });
    }
}
