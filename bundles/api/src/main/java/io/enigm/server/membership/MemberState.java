package io.enigm.server.membership;

/** Membership state: {@code ACTIVE ↔ SUSPENDED → REMOVED}; separate from any device's trust. */
public enum MemberState {
    ACTIVE, SUSPENDED, REMOVED
}
