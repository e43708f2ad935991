/**
 * Units of work: an administrative operation and its audit record, durable together.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.enigm.server.work;
