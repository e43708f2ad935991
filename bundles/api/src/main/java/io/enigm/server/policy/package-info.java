/**
 * Access policy: versioned per-environment policy documents and the decisions made under them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.enigm.server.policy;
