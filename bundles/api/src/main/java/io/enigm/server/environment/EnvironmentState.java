package io.enigm.server.environment;

/** Lifecycle of an environment (DESIGN §3). */
public enum EnvironmentState {
    ACTIVE, SUSPENDED, CLOSING, CLOSED, DELETED
}
