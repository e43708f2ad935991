package io.enigm.server.environment;

/** Lifecycle actions of an environment (DESIGN §3). */
public enum LifecycleAction {
    /** ACTIVE → SUSPENDED. */
    SUSPEND,
    /** SUSPENDED → ACTIVE. */
    RESUME,
    /** ACTIVE or SUSPENDED → CLOSING (read-only for the grace period, then CLOSED). Needs the PIN. */
    CLOSE,
    /** CLOSED → DELETED: data erased except what a legal hold keeps; the key is destroyed. Needs the PIN. */
    DELETE;

    /** Whether the critical-operation PIN must confirm this action. */
    public boolean isCritical() {
        return this == CLOSE || this == DELETE;
    }
}
