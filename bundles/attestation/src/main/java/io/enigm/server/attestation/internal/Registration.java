package io.enigm.server.attestation.internal;

import io.enigm.server.attestation.spi.AttestationProvider;
import io.enigm.server.attestation.spi.SignalCategory;

/**
 * One provider service as it was registered: its type and category, read once, and the symbolic
 * name of the bundle that registered it. Type and bundle together own the provider's records, so
 * that another bundle registering the same type never reads them.
 */
record Registration(AttestationProvider provider, String type, SignalCategory category, String bundle) {
}
