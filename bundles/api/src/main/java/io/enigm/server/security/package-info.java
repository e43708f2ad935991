/**
 * Security events: minimized signals the server derives from what it sees (refusals, device
 * lifecycle, policy violations, suspicious activity, defensive responses), each with a category,
 * its group and a risk class, for review and Enigm Intelligence. They carry per-environment handles
 * and categories only, never raw account handles, device keys, tokens or IP addresses.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.enigm.server.security;
