/**
 * Persistence offered to the other bundles: transactions over the embedded database and the data home where secrets live. Only the store bundle knows the SQL dialect.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package io.enigm.server.store;
