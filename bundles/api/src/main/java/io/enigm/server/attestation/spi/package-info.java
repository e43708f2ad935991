/**
 * The attestation-provider SPI that integrators implement in their own bundles (eSIM, Enigm Key, managed device, OS posture, or their own). A provider bundle imports this package and nothing else from Enigm Server.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.0.0")
package io.enigm.server.attestation.spi;
