package io.enigm.server.policy;

/** A signal a policy rule may require. */
public enum Requirement {
    MEMBER_ACTIVE,
    DEVICE_TRUSTED,
    SESSION_FRESH,
    MANAGED_DEVICE_COMPLIANT,
    OS_POSTURE_ACCEPTABLE,
    HARDWARE_KEY_VERIFIED,
    ESIM_BOUND,
    NO_OPEN_FINDING
}
