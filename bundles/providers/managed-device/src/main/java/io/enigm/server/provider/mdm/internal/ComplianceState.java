package io.enigm.server.provider.mdm.internal;

/** What the managed-device service reports about a device. */
enum ComplianceState {
    ENROLLED,
    COMPLIANT,
    NON_COMPLIANT,
    RETIRED
}
