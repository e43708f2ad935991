/**
 * The server side of attestation: the providers deployed now, and their signals for a device,
 * each obtained within the provider's time budget or reported unavailable (fail closed).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.enigm.server.attestation.registry;
