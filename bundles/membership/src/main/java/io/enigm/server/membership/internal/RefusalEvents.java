package io.enigm.server.membership.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.enigm.server.security.SecurityEventCategory;
import io.enigm.server.security.SecurityEventRecorder;
import io.enigm.server.store.Database;

/**
 * Records refusals of the session flow as security events without letting a flood of refusals,
 * which anyone who knows an environment's id can send, become a flood of writes on the database's
 * one writer: per environment and category, refusals up to a rate are written at once, one event
 * each; beyond it they are counted, and {@link #flush} writes each count as one event.
 */
final class RefusalEvents {

    private static final Logger LOG = LoggerFactory.getLogger(RefusalEvents.class);

    private record Key(String environmentId, SecurityEventCategory category) {
    }

    private final Database database;
    private final SecurityEventRecorder events;
    private final Clock clock;
    private final int perSecond;
    private final Map<Key, Bucket> buckets = new ConcurrentHashMap<>();
    private final Map<Key, LongAdder> heldBack = new ConcurrentHashMap<>();

    RefusalEvents(Database database, SecurityEventRecorder events, Clock clock, int perSecond) {
        if (perSecond < 1) {
            throw new IllegalArgumentException("refusalEventsPerSecond must be positive");
        }
        this.database = database;
        this.events = events;
        this.clock = clock;
        this.perSecond = perSecond;
    }

    void record(String environmentId, SecurityEventCategory category, String subjectHandle) {
        Key key = new Key(environmentId, category);
        long now = clock.millis();
        if (!buckets.computeIfAbsent(key, k -> new Bucket(now)).take(now)) {
            heldBack.computeIfAbsent(key, k -> new LongAdder()).increment();
            return;
        }
        try {
            events.record(environmentId, category, subjectHandle);
        } catch (RuntimeException e) {
            LOG.warn("Could not record a {} security event ({})", category, e.getClass().getName());
        }
    }

    /** Writes the refusals held back, one event per environment and category; returns how many refusals. */
    long flush() {
        List<Map.Entry<Key, Long>> counts = new ArrayList<>();
        heldBack.forEach((key, count) -> {
            long held = count.sumThenReset();
            if (held > 0) {
                counts.add(Map.entry(key, held));
            }
        });
        if (counts.isEmpty()) {
            return 0;
        }
        try {
            database.inTransaction(handle -> {
                counts.forEach(entry -> events.record(entry.getKey().environmentId(), entry.getKey().category(),
                        null, entry.getValue()));
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not record {} held-back refusals ({})", counts.size(), e.getClass().getName());
            return 0;
        }
        return counts.stream().mapToLong(Map.Entry::getValue).sum();
    }

    /** Refills {@code perSecond} tokens a second, holding at most that many. */
    private final class Bucket {
        private double tokens = perSecond;
        private long refilledAt;

        Bucket(long now) {
            this.refilledAt = now;
        }

        synchronized boolean take(long now) {
            tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1000.0);
            refilledAt = now;
            if (tokens < 1) {
                return false;
            }
            tokens--;
            return true;
        }
    }
}
