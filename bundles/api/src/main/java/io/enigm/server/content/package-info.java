/**
 * End-to-end encrypted content: opaque ciphertext that members' devices upload and fetch with a
 * session, each action decided by the environment's policy. Administrators see counts, sizes and
 * dates, never bytes or recipient lists (DESIGN invariant 1).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.enigm.server.content;
