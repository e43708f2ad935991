/**
 * Types shared by every Enigm Server service: pages of results and the domain failures that the HTTP layer turns into problem+json answers.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("2.1.0")
package io.enigm.server.common;
