package io.enigm.server.membership.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Used nonces in this process's memory, for an installation of one process (SQLite): the fastest
 * check, lost at a restart, which also replaces the key nonces are sealed with.
 *
 * <p>The set is bounded by the configured number; when it is full of unexpired nonces, uses are
 * refused until some expire (only a flood of valid signatures can fill it).
 */
final class RememberedNonces implements UsedNonces {

    /** Expired used nonces are swept this often, and at most once a second while the set is full. */
    private static final long SWEEP_MILLIS = SessionNonces.LIFETIME.toMillis();

    private final Map<String, Long> used = new ConcurrentHashMap<>();
    private final AtomicLong nextSweepAt = new AtomicLong();
    private final int maxUsed;

    RememberedNonces(int maxUsed, long now) {
        this.maxUsed = maxUsed;
        this.nextSweepAt.set(now + SWEEP_MILLIS);
    }

    @Override
    public boolean contains(String nonce) {
        return used.containsKey(nonce);
    }

    @Override
    public boolean use(String nonce, long expiresAt, long now) {
        long sweepAt = nextSweepAt.get();
        boolean full = used.size() >= maxUsed;
        // One caller sweeps, at most once a second even while full: a sweep reads every used nonce.
        if ((now >= sweepAt || full && now >= sweepAt - SWEEP_MILLIS + 1000)
                && nextSweepAt.compareAndSet(sweepAt, now + SWEEP_MILLIS)) {
            used.values().removeIf(expiry -> expiry <= now);
        }
        return used.size() < maxUsed && used.putIfAbsent(nonce, expiresAt) == null;
    }

    @Override
    public int size() {
        return used.size();
    }
}
