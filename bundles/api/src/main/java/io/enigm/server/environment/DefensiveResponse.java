package io.enigm.server.environment;

/**
 * An environment's defensive response: a device is restricted automatically once it has failed
 * {@code failures} times (forged signatures, replayed nonces, refused sessions…) within
 * {@code windowSeconds}, and the restriction is recorded as a security event of class {@code HIGH}.
 * Off by default: anyone who knows a device's id can send failures in its name, so an environment
 * that turns it on accepts that a flood can restrict a device until an administrator trusts it again.
 *
 * @param failures      how many failures restrict the device, {@code 0} for off, otherwise from
 *                      {@link #MIN_FAILURES} to {@link #MAX_FAILURES}
 * @param windowSeconds within how many seconds, from {@link #MIN_WINDOW_SECONDS} to
 *                      {@link #MAX_WINDOW_SECONDS}
 */
public record DefensiveResponse(int failures, int windowSeconds) {

    public static final int MIN_FAILURES = 2;
    public static final int MAX_FAILURES = 1000;
    public static final int MIN_WINDOW_SECONDS = 10;
    public static final int MAX_WINDOW_SECONDS = 86_400;

    /** The default: no device is ever restricted automatically. */
    public static final DefensiveResponse OFF = new DefensiveResponse(0, 600);

    public boolean enabled() {
        return failures > 0;
    }
}
