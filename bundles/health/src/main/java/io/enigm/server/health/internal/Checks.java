package io.enigm.server.health.internal;

/** The tags that mark this installation's checks, among any others Felix runs. */
final class Checks {

    /** Every check of the installation. */
    static final String INSTALLATION = "enigm";
    /** A core service's check. */
    static final String CORE = "core";
    /** An attestation provider's check. */
    static final String PROVIDER = "provider";

    private Checks() {
    }
}
