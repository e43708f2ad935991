package io.enigm.server.provider.esim.internal;

/** An eSIM profile's lifecycle on one device: {@code ACTIVATED → BOUND → UNLINKED | RETIRED}. */
enum ProfileState {
    ACTIVATED,
    BOUND,
    UNLINKED,
    RETIRED
}
