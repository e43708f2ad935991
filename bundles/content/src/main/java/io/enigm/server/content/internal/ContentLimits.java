package io.enigm.server.content.internal;

import java.time.Duration;

/** {@link ContentConfiguration}, validated: a component with values out of range stays unsatisfied. */
record ContentLimits(long maxObjectBytes, int inlineLimitBytes, Duration callsMaxLifetime, Duration sweepInterval,
        int sweepChunk, int deletionChunk, Duration followerHeartbeat) {

    static ContentLimits of(ContentConfiguration configuration) {
        return new ContentLimits(within("maxObjectBytes", configuration.maxObjectBytes(), 1, 1L << 40),
                (int) within("inlineLimitBytes", configuration.inlineLimitBytes(), 0, 1 << 20),
                Duration.ofSeconds(within("callsMaxLifetimeSeconds", configuration.callsMaxLifetimeSeconds(), 1, 3600)),
                Duration.ofSeconds(within("sweepIntervalSeconds", configuration.sweepIntervalSeconds(), 1, 86_400)),
                (int) within("sweepChunk", configuration.sweepChunk(), 1, 10_000),
                (int) within("deletionChunk", configuration.deletionChunk(), 1, 10_000),
                Duration.ofSeconds(within("followerHeartbeatSeconds", configuration.followerHeartbeatSeconds(), 1,
                        300)));
    }

    private static long within(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", not " + value);
        }
        return value;
    }
}
