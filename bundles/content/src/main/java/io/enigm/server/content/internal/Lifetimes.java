package io.enigm.server.content.internal;

import java.time.Duration;

import io.enigm.server.common.InvalidRequestException;
import io.enigm.server.environment.Environment;
import io.enigm.server.environment.Surface;

/**
 * How long an object lives: what was asked, cut to the environment's content lifetime (itself at
 * most {@link Environment#MAX_CONTENT_LIFETIME_DAYS} days), and for call set-up to a few minutes.
 */
final class Lifetimes {

    /** A lifetime, and whether the request asked for longer. */
    record Granted(Duration lifetime, boolean clamped) {
    }

    private final Duration callsMax;

    Lifetimes(Duration callsMax) {
        this.callsMax = callsMax;
    }

    /**
     * @param requested what the device asked for, or {@code null} for the longest allowed
     * @throws InvalidRequestException a lifetime under one second
     */
    Granted grant(Environment environment, Surface surface, Duration requested) {
        if (requested != null && requested.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidRequestException("lifetime", "must be at least one second");
        }
        Duration longest = Duration.ofDays(Math.min(environment.contentLifetimeDays(),
                Environment.MAX_CONTENT_LIFETIME_DAYS));
        if (surface == Surface.CALLS && callsMax.compareTo(longest) < 0) {
            longest = callsMax;
        }
        if (requested == null) {
            return new Granted(longest, false);
        }
        return requested.compareTo(longest) > 0 ? new Granted(longest, true) : new Granted(requested, false);
    }
}
