/**
 * Membership of private environments: join requests and invites, members, their devices and the
 * review side of their sessions. External identifiers (account handles, device keys) appear here
 * only as per-environment handles; device and member state are separate (DESIGN §4, invariant 3).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("3.5.0")
package io.enigm.server.membership;
