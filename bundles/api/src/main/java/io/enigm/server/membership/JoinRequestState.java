package io.enigm.server.membership;

/** Lifecycle of a join request: {@code PENDING → APPROVED | REJECTED | EXPIRED | CANCELLED}. */
public enum JoinRequestState {
    PENDING, APPROVED, REJECTED, EXPIRED, CANCELLED
}
