/**
 * Private environments: creation, lookup and listing, lifecycle, legal holds.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.1.0")
package io.enigm.server.environment;
