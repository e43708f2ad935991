package io.enigm.server.policy;

/**
 * Why a decision went the way it did. Only categories reach the requesting device: never rule
 * text, thresholds or detection logic.
 */
public enum DecisionCategory {
    ACCOUNT_ELIGIBILITY,
    DEVICE_TRUST,
    SESSION_FRESHNESS,
    MANAGED_DEVICE,
    OS_POSTURE,
    HARDWARE_KEY,
    ESIM_BINDING,
    SECURITY_FINDING,
    /** A needed provider is absent, failing or too slow: the decision fails closed. */
    ATTESTATION_UNAVAILABLE,
    /** Allowed only within a rule's grace period: the device must be brought back into line. */
    GRACE_PERIOD
}
