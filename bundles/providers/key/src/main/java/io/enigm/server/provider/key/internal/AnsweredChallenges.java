package io.enigm.server.provider.key.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Challenges already answered, remembered for a window and up to a bound, so that a captured
 * answer cannot be presented again. Keyed by device and challenge rather than by signature bytes:
 * ECDSA signatures are malleable ((r, s) and (r, n - s) both verify), so the same answer can be
 * re-encoded as a different valid signature, while the challenge it answers cannot change.
 */
final class AnsweredChallenges {

    private final Duration window;
    private final int capacity;
    /** Insertion order is time order: the eldest entries expire first. */
    private final LinkedHashMap<String, Instant> answered = new LinkedHashMap<>();

    AnsweredChallenges(Duration window, int capacity) {
        this.window = window;
        this.capacity = capacity;
    }

    /** Records the challenge; {@code false} if it was answered before within the window. */
    synchronized boolean firstAnswer(String deviceId, String challenge, Instant now) {
        Iterator<Map.Entry<String, Instant>> eldest = answered.entrySet().iterator();
        while (eldest.hasNext()) {
            Map.Entry<String, Instant> entry = eldest.next();
            if (entry.getValue().plus(window).isAfter(now) && answered.size() < capacity) {
                break;
            }
            eldest.remove();
        }
        return answered.putIfAbsent(deviceId + '\n' + challenge, now) == null;
    }
}
