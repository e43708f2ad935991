package io.enigm.server.environment;

/** Lifecycle of an environment (DESIGN §3). */
public enum EnvironmentState {
    ACTIVE, SUSPENDED, CLOSING, CLOSED, DELETED;

    /**
     * Whether the environment's settings and data may no longer change: from closing on, only
     * the lifecycle moves (to {@link #CLOSED}, then {@link #DELETED}) and a legal hold may change.
     */
    public boolean isReadOnly() {
        return this == CLOSING || this == CLOSED || this == DELETED;
    }
}
