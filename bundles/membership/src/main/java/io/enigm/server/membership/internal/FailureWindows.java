package io.enigm.server.membership.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent failures per subject (a device, a member), in memory: how many fell within a window that
 * ends now. Only subjects that exist are counted (the caller names a known device), and each keeps
 * at most {@code maxKept} times, so memory stays bounded by the installation's devices and members.
 * Like the used nonces, the counts are lost on restart and not shared between nodes.
 */
final class FailureWindows {

    private final long longestWindowMillis;
    private final int maxKept;
    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();

    FailureWindows(long longestWindowMillis, int maxKept) {
        this.longestWindowMillis = longestWindowMillis;
        this.maxKept = maxKept;
    }

    /** Counts a failure of {@code subject} at {@code now}. */
    void add(String subject, long now) {
        failures.compute(subject, (key, times) -> {
            Deque<Long> kept = times == null ? new ArrayDeque<>() : times;
            while (!kept.isEmpty() && (kept.peekFirst() <= now - longestWindowMillis || kept.size() >= maxKept)) {
                kept.pollFirst();
            }
            kept.addLast(now);
            return kept;
        });
    }

    /** How many of {@code subject}'s failures fell within the {@code windowMillis} that end at {@code now}. */
    int within(String subject, long now, long windowMillis) {
        int[] count = new int[1];
        failures.computeIfPresent(subject, (key, times) -> {
            count[0] = (int) times.stream().filter(time -> time > now - windowMillis).count();
            return times;
        });
        return count[0];
    }

    /** Forgets {@code subject}'s failures: after a defensive response, counting starts again. */
    void clear(String subject) {
        failures.remove(subject);
    }
}
