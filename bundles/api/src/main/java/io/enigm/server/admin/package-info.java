/**
 * Administrators: roles, scopes and the bearer tokens that carry them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.2.0")
package io.enigm.server.admin;
