package io.enigm.server.health.internal;

import io.enigm.server.health.HealthCheckResult;

/** The tags that mark this installation's checks, among any others Felix runs. */
final class Checks {

    /** Every check of the installation. */
    static final String INSTALLATION = "enigm";
    /** A core service's check: these alone decide whether the installation serves. */
    static final String CORE = HealthCheckResult.CORE;
    /** An integrity check, shown to administrators only. */
    static final String INTEGRITY = HealthCheckResult.INTEGRITY;
    /** An attestation provider's check, shown to administrators only. */
    static final String PROVIDER = HealthCheckResult.PROVIDER;

    private Checks() {
    }
}
