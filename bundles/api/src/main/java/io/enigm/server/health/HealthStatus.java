package io.enigm.server.health;

/** How a check, or the installation as a whole, stands; later constants are worse. */
public enum HealthStatus {
    /** Working as it should. */
    OK,
    /** Working, but an operator should look (a parked webhook batch, a provider that often times out). */
    WARN,
    /** Not working now, expected to recover by itself (still starting, briefly overloaded). */
    TEMPORARILY_UNAVAILABLE,
    /** Not working: requests that need it fail. */
    CRITICAL,
    /** The check itself failed or did not finish in time: the state is unknown. */
    HEALTH_CHECK_ERROR;

    /** Whether the installation serves its API in this state (the public health answer's UP). */
    public boolean serves() {
        return this == OK || this == WARN;
    }
}
