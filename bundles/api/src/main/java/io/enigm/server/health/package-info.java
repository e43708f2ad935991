/**
 * The installation's health: one check per core service and per active attestation provider, run
 * on request, for the public health answer, the administrators' detailed view and the console.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.enigm.server.health;
