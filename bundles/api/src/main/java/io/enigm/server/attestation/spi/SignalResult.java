package io.enigm.server.attestation.spi;

/** What a provider concluded from a device's evidence. */
public enum SignalResult {
    PASS,
    /**
     * The provider verified the evidence and it shows the device out of compliance (a validly
     * signed statement with an old patch, a revoked Key); never for input it could not verify.
     */
    FAIL,
    /**
     * The provider cannot tell: missing, stale, malformed or unverifiable evidence (a bad signature,
     * another device's or another attempt's statement). Policies treat it as not passed, never graced.
     */
    UNKNOWN
}
