package io.enigm.server.policy.internal;

import java.util.Arrays;

import io.enigm.server.policy.Requirement;

/**
 * What is known about one request, as evaluation reads it: which requirements are met, which could
 * not be asked (their provider absent, failing or slow), and for a graceable requirement in a
 * verified lapse, since when it has been failing and when the device was last seen meeting it.
 * Everything is a primitive so that evaluating a compiled policy allocates nothing.
 */
final class Signals {

    /** No grace: the device never met the requirement, or it is not failing. */
    static final long NO_GRACE = Long.MIN_VALUE;

    /** Shared by every request without grace: only read, so that evaluating allocates nothing. */
    private static final long[] NONE = noGrace();

    final int met;
    final int unavailable;
    private final long[] failingSince;
    private final long[] lastMet;

    Signals(int met, int unavailable, long[] failingSince, long[] lastMet) {
        this.met = met;
        this.unavailable = unavailable;
        this.failingSince = failingSince;
        this.lastMet = lastMet;
    }

    Signals(int met, int unavailable) {
        this(met, unavailable, NONE, NONE);
    }

    static long[] noGrace() {
        long[] none = new long[Requirements.ALL.length];
        Arrays.fill(none, NO_GRACE);
        return none;
    }

    /** Since when the device, having met it, has failed {@code requirement}; {@link #NO_GRACE} otherwise. */
    long failingSince(int requirement) {
        return failingSince[requirement];
    }

    /** When the device was last seen meeting {@code requirement} before its lapse; {@link #NO_GRACE} if never. */
    long lastMet(int requirement) {
        return lastMet[requirement];
    }

    boolean isMet(Requirement requirement) {
        return (met & Requirements.bit(requirement)) != 0;
    }
}
