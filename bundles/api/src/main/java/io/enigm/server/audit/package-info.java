/**
 * The append-only, hash-chained audit log of administrative requests.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package io.enigm.server.audit;
