package io.enigm.server.audit;

/** How an administrative request ended. */
public enum AuditOutcome {
    /** Authorized and carried out. */
    ALLOWED,
    /** Refused: no or bad credentials, or not allowed for this role or scope. */
    DENIED,
    /** Authorized but refused by the domain: unknown id, bad input, state conflict. */
    FAILED
}
