package io.enigm.server.attestation.spi;

/** What a provider concluded from a device's evidence. */
public enum SignalResult {
    PASS,
    FAIL,
    /** The provider cannot tell: missing, stale or unverifiable evidence. Policies treat it as not passed. */
    UNKNOWN
}
