/**
 * The installation's data home: where the database, content, configuration and secrets live, and
 * the owner-only secret files. No database technology: bundles that own no table (metrics, health)
 * reach the data home through it too.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.enigm.server.home;
