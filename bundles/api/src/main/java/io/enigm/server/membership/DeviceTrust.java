package io.enigm.server.membership;

/**
 * A device's trust state, separate from its member's state: {@code PENDING → TRUSTED ↔ RESTRICTED →
 * REVOKED}, and {@code REPLACED} (superseded by another device of the same member) or
 * {@code RETIRED} (taken out of service). {@code REVOKED}, {@code REPLACED} and {@code RETIRED} are final.
 */
public enum DeviceTrust {
    PENDING, TRUSTED, RESTRICTED, REVOKED, REPLACED, RETIRED;

    /** Whether no transition leads out of this state. */
    public boolean isFinal() {
        return this == REVOKED || this == REPLACED || this == RETIRED;
    }
}
