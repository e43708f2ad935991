package io.enigm.server.attestation.spi;

/** The kind of assurance a provider's signal gives; requesters see only these categories. */
public enum SignalCategory {
    /** An Enigm Key hardware token is linked and answered a challenge. */
    HARDWARE_KEY,
    /** The operating system's signed posture statement is acceptable. */
    OS_POSTURE,
    /** A managed-device service reports the device enrolled and compliant. */
    MANAGED_DEVICE,
    /** An active eSIM profile is bound to the device. */
    ESIM_BINDING
}
