package io.enigm.server.security;

/** The kinds of security event (DESIGN §3), each grouping several {@link SecurityEventCategory categories}. */
public enum SecurityEventGroup {
    /** Refusals of a device or member, and repeated ones within a window. */
    ACCESS_ANOMALY,
    /** A device enrolled, trusted, restricted, revoked, replaced, retired, or its Key lost. */
    DEVICE_LIFECYCLE,
    /** Requests the environment's policy denied, or that report-only rules would have denied. */
    POLICY_VIOLATION,
    /** Replays, tokens used outside their scope, join floods, PIN lockouts, guessed invite codes. */
    SUSPICIOUS_ACTIVITY,
    /** What the server did on its own to contain a threat, such as restricting a device. */
    DEFENSIVE_RESPONSE
}
