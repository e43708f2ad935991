/**
 * Units of work: an administrative operation and its audit record, durable together; the first
 * answers of creating requests, remembered under their idempotency keys.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.enigm.server.work;
