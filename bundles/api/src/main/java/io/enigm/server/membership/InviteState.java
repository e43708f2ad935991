package io.enigm.server.membership;

/** Whether an invite code can still be used. */
public enum InviteState {
    ACTIVE, USED, EXPIRED, REVOKED
}
