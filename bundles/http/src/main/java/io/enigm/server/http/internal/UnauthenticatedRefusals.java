package io.enigm.server.http.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.audit.AuditEntry;
import io.enigm.server.audit.AuditLog;
import io.enigm.server.audit.AuditOutcome;
import io.enigm.server.common.NotFoundException;
import io.enigm.server.environment.EnvironmentService;
import io.enigm.server.support.threads.DaemonThreads;

/**
 * Audits administrative requests refused for want of a valid token, in bounded form: nobody
 * without a token can grow the audit log faster than a fixed number of records per window, nor
 * fill an environment's audit view.
 *
 * <p>A record names the route's action (from the route table, never the caller's path), the
 * environment only when the path names one that exists, and in {@code target} how many refused
 * requests it stands for. Within a window the first refusals are recorded at once, up to
 * {@value #IMMEDIATE_PER_WINDOW} in all; further ones are counted in memory and written when the
 * window ends (or the component stops), one record per action and environment. At most
 * {@value #ENVIRONMENTS_PER_WINDOW} action and environment pairs per window are told apart; refusals
 * beyond them count against the action alone.
 */
@Component(service = UnauthenticatedRefusals.class, configurationPid = UnauthenticatedRefusals.PID)
@Designate(ocd = UnauthenticatedRefusals.Configuration.class)
public class UnauthenticatedRefusals {

    static final String PID = "io.enigm.server.http.refusals";
    static final String CATEGORY = "AUTHENTICATION";
    static final int IMMEDIATE_PER_WINDOW = 20;
    static final int ENVIRONMENTS_PER_WINDOW = 32;
    /** The shape of an environment id; anything else is not looked up. */
    private static final Pattern ENVIRONMENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Logger LOG = LoggerFactory.getLogger(UnauthenticatedRefusals.class);

    @ObjectClassDefinition(name = "Enigm Server unauthenticated refusals",
            description = "How administrative requests without a valid token are audited.")
    @interface Configuration {

        @AttributeDefinition(name = "Window (seconds)",
                description = "Refusals beyond the first few of a window are written as one record per action"
                        + " and environment when it ends; 1 to 3600.", min = "1", max = "3600")
        int windowSeconds() default 60;
    }

    /** What a record is about: the route's action and a validated environment, or none. */
    private record Key(String action, String environmentId) {
    }

    private final AuditLog audit;
    private final EnvironmentService environments;
    private final ScheduledExecutorService scheduler;
    /** Refusals of the current window not yet recorded, by key; guarded by {@code this}. */
    private Map<Key, Long> counted = new HashMap<>();
    private int environmentKeys;
    private int immediate;

    @Activate
    public UnauthenticatedRefusals(@Reference AuditLog audit, @Reference EnvironmentService environments,
            Configuration configuration) {
        int window = configuration.windowSeconds();
        if (window < 1 || window > 3600) {
            throw new IllegalArgumentException("windowSeconds must be between 1 and 3600, not " + window);
        }
        this.audit = audit;
        this.environments = environments;
        this.scheduler = DaemonThreads.scheduler("enigm-unauthenticated-refusals");
        scheduler.scheduleWithFixedDelay(this::flushSafely, window, window, TimeUnit.SECONDS);
        LOG.info("Unauthenticated refusals: at most {} records at once and one per action and environment"
                + " every {} s", IMMEDIATE_PER_WINDOW, window);
    }

    /** Writes what is still counted, so that a stop loses nothing. */
    @Deactivate
    void stop() {
        scheduler.shutdownNow();
        flushSafely();
    }

    /**
     * Notes one refused request.
     *
     * @param action          the route's audit action
     * @param environmentPath the environment path segment as the caller sent it, or {@code null}
     */
    void refused(String action, String environmentPath) {
        String environmentId = toldApart(action, environmentPath) ? existing(environmentPath) : null;
        Key recordNow = count(new Key(action, environmentId));
        if (recordNow != null) {
            audit.append(entry(recordNow, 1));
        }
    }

    /**
     * Whether a refusal naming this environment could still be told apart in this window: otherwise
     * it counts against the action alone, and looking the environment up would be wasted work.
     */
    private synchronized boolean toldApart(String action, String environmentPath) {
        return environmentPath != null && (environmentKeys < ENVIRONMENTS_PER_WINDOW
                || counted.containsKey(new Key(action, environmentPath)));
    }

    /**
     * Counts a refusal under its key, or under its action alone once the window tells enough
     * environments apart; returns the key when this refusal is to be recorded at once instead.
     */
    private synchronized Key count(Key wanted) {
        Key key = wanted;
        if (key.environmentId() != null && !counted.containsKey(key)) {
            if (environmentKeys < ENVIRONMENTS_PER_WINDOW) {
                environmentKeys++;
            } else {
                key = new Key(key.action(), null);
            }
        }
        if (!counted.containsKey(key) && immediate < IMMEDIATE_PER_WINDOW) {
            immediate++;
            counted.put(key, 0L);
            return key;
        }
        counted.merge(key, 1L, Long::sum);
        return null;
    }

    /** Ends the window: one record for each key with refusals not yet recorded. */
    void flush() {
        for (Map.Entry<Key, Long> entry : endWindow().entrySet()) {
            if (entry.getValue() > 0) {
                audit.append(entry(entry.getKey(), entry.getValue()));
            }
        }
    }

    private synchronized Map<Key, Long> endWindow() {
        Map<Key, Long> ended = counted;
        counted = new HashMap<>();
        environmentKeys = 0;
        immediate = 0;
        return ended;
    }

    private void flushSafely() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not audit unauthenticated refusals ({})", e.getClass().getName());
        }
    }

    private static AuditEntry entry(Key key, long requests) {
        return new AuditEntry(null, null, key.environmentId(), key.action(), Long.toString(requests),
                AuditOutcome.DENIED, CATEGORY);
    }

    /** The environment id when the segment names an environment that exists, else {@code null}. */
    private String existing(String environmentPath) {
        if (environmentPath == null || !ENVIRONMENT_ID.matcher(environmentPath).matches()) {
            return null;
        }
        try {
            return environments.get(environmentPath).id();
        } catch (NotFoundException e) {
            return null;
        }
    }
}
