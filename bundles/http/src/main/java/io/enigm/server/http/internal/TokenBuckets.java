package io.enigm.server.http.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One token bucket per client key (the remote address): each holds at most {@code burst} tokens
 * and gains {@code perSecond} a second; a request takes one. A bucket is kept as the time at which
 * it will be full again (the generic cell rate algorithm), one {@link AtomicLong} updated by
 * compare-and-set, so requests of one address never wait for a lock.
 *
 * <p>Memory is bounded: at most about {@code maxKeys} buckets are tracked (concurrent first
 * requests may overshoot by the number of threads). When that many are tracked, buckets that have
 * refilled to full are dropped (a full bucket is what an unknown key gets, so nothing is lost), at
 * most once per refill time so that a flood of new keys cannot turn every request into a sweep;
 * keys that still find no room share one overflow bucket of the same rate. Whoever cycles through
 * many addresses thus fills the table once and then competes only with itself in the overflow
 * bucket, and cannot get a limited address's bucket dropped.
 */
final class TokenBuckets {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Key → the clock time at which its bucket is full again (in the past: full now). */
    private final ConcurrentHashMap<String, AtomicLong> buckets = new ConcurrentHashMap<>();
    private final AtomicLong overflow;
    /** Nanoseconds per token. */
    private final long interval;
    /** Nanoseconds from empty to full. */
    private final long refillTime;
    private final int maxKeys;
    private final LongSupplier nanoClock;
    private final AtomicLong lastSweep;

    TokenBuckets(int perSecond, int burst, int maxKeys, LongSupplier nanoClock) {
        if (perSecond < 1 || burst < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("rate, burst and tracked keys must be positive");
        }
        this.interval = NANOS_PER_SECOND / perSecond;
        this.refillTime = burst * interval;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
        long now = nanoClock.getAsLong();
        this.overflow = new AtomicLong(now);
        this.lastSweep = new AtomicLong(now - refillTime);
    }

    /**
     * Takes a token for {@code key}: 0 when there was one, otherwise the nanoseconds until there
     * is (the request is refused and takes nothing).
     */
    long take(String key) {
        long now = nanoClock.getAsLong();
        AtomicLong bucket = buckets.get(key);
        if (bucket == null) {
            bucket = admit(key, now);
        }
        while (true) {
            long fullAt = bucket.get();
            long after = Math.max(fullAt - now, 0) + interval;
            if (after > refillTime) {
                return after - refillTime;
            }
            if (bucket.compareAndSet(fullAt, now + after)) {
                return 0;
            }
        }
    }

    /** How many keys have a bucket of their own. */
    long tracked() {
        return buckets.mappingCount();
    }

    private AtomicLong admit(String key, long now) {
        if (buckets.mappingCount() >= maxKeys) {
            sweep(now);
            if (buckets.mappingCount() >= maxKeys) {
                return overflow;
            }
        }
        AtomicLong fresh = new AtomicLong(now);
        AtomicLong raced = buckets.putIfAbsent(key, fresh);
        return raced == null ? fresh : raced;
    }

    /**
     * Drops the buckets that are full by now. A request holding a bucket being dropped may still
     * take its token from it, so its key can gain at most one token per sweep.
     */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < refillTime || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(fullAt -> fullAt.get() - now <= 0);
    }
}
