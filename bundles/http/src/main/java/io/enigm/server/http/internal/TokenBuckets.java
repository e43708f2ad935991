package io.enigm.server.http.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One token bucket per client key (the remote address): each holds at most {@code burst} tokens
 * and gains {@code perSecond} a second; a request takes one. Memory is bounded: at most about
 * {@code maxKeys} buckets are tracked (concurrent first requests may overshoot by the number of
 * threads). When that many are tracked, buckets that have refilled to full are dropped (a full
 * bucket is what an unknown key gets, so nothing is lost), at most once per refill time so that
 * a flood of new keys cannot turn every request into a sweep; keys that still find no room share
 * one overflow bucket of the same rate. Whoever cycles through many addresses thus fills the
 * table once and then competes only with itself in the overflow bucket.
 *
 * <p>A known key costs one map lookup and a short lock on its own bucket.
 */
final class TokenBuckets {

    private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Bucket overflow;
    private final double perSecond;
    private final int burst;
    private final int maxKeys;
    private final long sweepIntervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong lastSweep;

    TokenBuckets(double perSecond, int burst, int maxKeys, LongSupplier nanoClock) {
        if (!(perSecond > 0) || burst < 1 || maxKeys < 1) {
            throw new IllegalArgumentException("rate, burst and tracked keys must be positive");
        }
        this.perSecond = perSecond;
        this.burst = burst;
        this.maxKeys = maxKeys;
        this.nanoClock = nanoClock;
        this.sweepIntervalNanos = Math.max(1, (long) Math.ceil(burst * NANOS_PER_SECOND / perSecond));
        long now = nanoClock.getAsLong();
        this.overflow = new Bucket(burst, now);
        this.lastSweep = new AtomicLong(now - sweepIntervalNanos);
    }

    /**
     * Takes a token for {@code key}: 0 when there was one, otherwise the nanoseconds until there
     * is (the request is refused).
     */
    long take(String key) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            bucket = admit(key, now);
        }
        return bucket.take(now);
    }

    /** How many keys have a bucket of their own. */
    long tracked() {
        return buckets.mappingCount();
    }

    private Bucket admit(String key, long now) {
        if (buckets.mappingCount() >= maxKeys) {
            sweep(now);
            if (buckets.mappingCount() >= maxKeys) {
                return overflow;
            }
        }
        Bucket fresh = new Bucket(burst, now);
        Bucket raced = buckets.putIfAbsent(key, fresh);
        return raced == null ? fresh : raced;
    }

    /**
     * Drops the buckets that are full by now. A request holding a bucket being dropped may still
     * take its token from it, so its key can gain at most one token per sweep.
     */
    private void sweep(long now) {
        long last = lastSweep.get();
        if (now - last < sweepIntervalNanos || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.values().removeIf(bucket -> bucket.fullAt(now));
    }

    private final class Bucket {

        private double tokens;
        private long updated;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.updated = now;
        }

        synchronized long take(long now) {
            refill(now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / perSecond));
        }

        synchronized boolean fullAt(long now) {
            refill(now);
            return tokens >= burst;
        }

        private void refill(long now) {
            long elapsed = now - updated;
            if (elapsed > 0) {
                tokens = Math.min(burst, tokens + elapsed * perSecond / NANOS_PER_SECOND);
                updated = now;
            }
        }
    }
}
