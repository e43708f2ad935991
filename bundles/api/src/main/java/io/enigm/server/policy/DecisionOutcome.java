package io.enigm.server.policy;

/** The verdict. */
public enum DecisionOutcome {
    ALLOW,
    DENY,
    /** Allowed once the device proves more (e.g. presents its Enigm Key). */
    STEP_UP
}
